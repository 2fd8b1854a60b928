import AWS
import FailoverCore
import Foundation
import Switchboard
import TestPeers
import Testing

/// `ecs_scale` against moto_server's ECS (JSON 1.1, SigV4, signed as the IAM user holding the shipped policy).
@Suite("Runbook: ECS capacity (moto)", .serialized)
struct RunbookECSTests {
  static let runbook = Runbook(
    beforeTraffic: [
      RunbookStep(
        name: "scale-secondary", action: .ecsScale(ECSScaleSpec(cluster: "api", service: "api-web")),
        timeout: 60)
    ],
    afterFailback: [
      RunbookStep(
        name: "scale-back", action: .ecsScale(ECSScaleSpec(cluster: "api", service: "api-web")), timeout: 60)
    ])

  @Test(
    "Given ECS services in both regions, when the primary fails over, then the secondary scales up before the DNS change and returns after failback"
  )
  func scalesBeforeTrafficAndRestoresAfterFailback() async throws {
    let moto = MotoServer()
    try await moto.start()
    let users = try await moto.fresh()
    let url = await moto.url
    try await MotoECS.createService(
      url, tester: users.tester, region: "us-east-1", cluster: "api", service: "api-web", desired: 6)
    try await MotoECS.createService(
      url, tester: users.tester, region: "us-west-2", cluster: "api", service: "api-web", desired: 2)
    let ecs = MotoECS.client(url, users.switchboard)
    let capacity = CountingCapacity(ecs)
    let clock = EngineManualClock()
    let api = try APIHarness(
      runbook: Self.runbook, runbookPorts: RunbookPorts(capacity: capacity),
      sleeper: TickingSleeper(clock: clock),
      clock: clock)
    try await api.warmUp()
    let id = try await api.failOver()
    await api.settle()

    let west = try await ecs.counts(region: "us-west-2", cluster: "api", service: "api-web")
    #expect(west.desired == 6 && west.running == 6, "raised to the failing region's count: \(west)")
    #expect(capacity.updateCount == 1)
    let journal = try await api.journal(id)
    let order = journal.filter { $0.phase == .finished }.map(\.step.rawValue)
    let scaled = try #require(order.firstIndex(of: "runbook:before_traffic:scale-secondary"))
    let changed = try #require(order.firstIndex(of: "changeDNS"))
    #expect(scaled < changed, "the journal shows the scale-up before the DNS change: \(order)")
    let checkpoint = journal.first { $0.phase == .progress }
    if case .capacity(let change) = checkpoint?.detail.runbook {
      #expect(change.before == 2 && change.target == 6 && change.region == "us-west-2")
    } else {
      Issue.record("no capacity checkpoint: \(journal.map(\.message))")
    }
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.20"])

    clock.advance(3600)  // past the minimum dwell
    for _ in 0..<3 { await api.round(primary: .healthy) }
    let back = try await api.send(
      .POST, "/api/v1/services/api.example.com/failback", token: APIHarness.operatorToken,
      json: #"{"reason":"us-east-1 recovered"}"#)
    #expect(back.status == 202, "\(back.text)")
    await api.settle()

    let restored = try await ecs.counts(region: "us-west-2", cluster: "api", service: "api-web")
    #expect(restored.desired == 2, "back to the count before the failover: \(restored)")
    #expect(capacity.updateCount == 2)
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"])
    let failback = try await api.latestWorkflow()
    let steps = (failback["runbook"] as? [[String: Any]]) ?? []
    #expect(steps.map { $0["name"] as? String } == ["scale-secondary", "scale-back"], "\(steps)")
    #expect(steps.map { $0["outcome"] as? String } == ["succeeded", "succeeded"], "\(steps)")
  }
}
