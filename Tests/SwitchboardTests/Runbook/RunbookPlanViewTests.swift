import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Testing
import Webhooks

/// What-if and explain list the runbook with predicted durations; hook answers are kept bounded.
@Suite("Runbook: what-if, explain and hook answers")
struct RunbookPlanViewTests {
  @Test(
    "Given a runbook, when what-if and explain are asked, then they list its steps with predicted_seconds: the timeout, then the last measured duration"
  )
  func predictedSeconds() async throws {
    let receiver = try HookReceiver(statuses: [200])
    defer { Task { await receiver.server.shutdown() } }
    let clock = EngineManualClock()
    let runbook = Runbook(
      beforeTraffic: [
        RunbookStep(name: "warm", action: .httpHook(HTTPHookSpec(url: receiver.url)), timeout: 45),
        RunbookStep(name: "settle", action: .wait(seconds: 7)),
      ],
      afterFailback: [RunbookStep(name: "back", action: .wait(seconds: 3))])
    let api = try APIHarness(
      runbook: runbook, runbookPorts: RunbookPorts(hooks: HTTPHookCaller()),
      sleeper: TickingSleeper(clock: clock),
      clock: clock)
    try await api.warmUp()

    let plan = try await api.send(
      .GET, "/api/v1/services/api.example.com/what-if?target_region=us-west-2", token: APIHarness.viewer)
    #expect(plan.status == 200, "\(plan.text)")
    let steps = (plan.json["runbook"] as? [[String: Any]]) ?? []
    #expect(
      steps.map { $0["name"] as? String } == ["warm", "settle"], "after_failback is not part of a failover")
    #expect(steps.map { $0["predicted_seconds"] as? Double } == [45, 7])
    #expect((plan.json["explanation"] as? String)?.contains("predicted at most 52 s") == true, "\(plan.text)")

    _ = try await api.failOver()
    await api.settle()
    let explained = try await api.send(
      .GET, "/api/v1/services/api.example.com/explain", token: APIHarness.viewer)
    let listed = (explained.json["runbook"] as? [[String: Any]]) ?? []
    #expect(listed.map { $0["name"] as? String } == ["warm", "settle", "back"])
    let settle = listed.first { $0["name"] as? String == "settle" }?["predicted_seconds"] as? Double
    #expect(settle.map { $0 >= 7 && $0 < 9 } == true, "the measured wait: \(String(describing: settle))")
    #expect(listed.last?["predicted_seconds"] as? Double == 3, "never measured: its timeout")
  }

  @Test("Given a hook answering a large body, then the journal keeps its first 4,096 bytes")
  func boundedBody() async throws {
    var router = Router()
    router.post("/big") { _ in Response.text(String(repeating: "x", count: 10_000)) }
    let server = HTTPServer(
      configuration: ServerConfiguration(listen: [
        ListenAddress(host: "127.0.0.1", port: 0)
      ]),
      router: router)
    try server.start()
    defer { Task { await server.shutdown() } }
    let response = try await HTTPHookCaller().call(
      HookRequest(
        url: "http://127.0.0.1:\(server.boundAddresses[0].port)/big", body: Data("{}".utf8),
        idempotencyKey: "k",
        secretEnvironment: nil, timeout: 5))
    #expect(response.status == 200 && response.body.utf8.count == HookResponse.bodyLimit)
    await #expect(throws: WebhookError.self) {
      _ = try await HTTPHookCaller(environment: { _ in nil }).call(
        HookRequest(
          url: "http://127.0.0.1:1/", body: Data(), idempotencyKey: "k", secretEnvironment: "NOPE", timeout: 1
        ))
    }
  }
}
