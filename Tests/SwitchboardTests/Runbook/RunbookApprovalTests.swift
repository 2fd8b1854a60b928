import FailoverCore
import Foundation
import Switchboard
import Testing

/// Approval steps: the workflow waits in `pending_approval` until an operator decides over the API.
@Suite("Runbook: approvals")
struct RunbookApprovalTests {
  static let runbook = Runbook(beforeTraffic: [
    RunbookStep(
      name: "dba-ok", action: .approval(ApprovalSpec(message: "Is the replica caught up?")), timeout: 3600,
      retry: RetryPolicy(maxAttempts: 1))
  ])

  static func harness(directory: URL? = nil, dns: EngineFakeDNS? = nil) throws -> APIHarness {
    let clock = EngineManualClock()
    return try APIHarness(
      runbook: runbook, sleeper: TickingSleeper(clock: clock), directory: directory, clock: clock,
      dns: dns ?? EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]))
  }

  @Test(
    "Given a waiting approval, when an operator approves over the API, then the workflow continues to the DNS change"
  )
  func approveContinues() async throws {
    let api = try Self.harness()
    try await api.warmUp()
    let id = try await api.failOver()
    try await api.waitForPendingApproval(id)
    let waiting = try await api.send(.GET, "/api/v1/workflows/\(id)", token: APIHarness.viewer)
    #expect(waiting.json["state"] as? String == "pending_approval")
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"])

    let approved = try await api.send(
      .POST, "/api/v1/workflows/\(id)/approval", token: APIHarness.operatorToken,
      json: #"{"decision":"approve","reason":"replica lag is 0"}"#,
      headers: [("Idempotency-Key", "approve-1")])
    #expect(approved.status == 200, "\(approved.text)")
    let again = try await api.send(
      .POST, "/api/v1/workflows/\(id)/approval", token: APIHarness.operatorToken,
      json: #"{"decision":"approve","reason":"replica lag is 0"}"#,
      headers: [("Idempotency-Key", "approve-1")])
    #expect(again.status == 200 && again.text == approved.text, "the same key answers the same")
    await api.settle()

    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.20"])
    let workflow = try await api.latestWorkflow()
    #expect(workflow["state"] as? String == "succeeded")
    let events = try await api.store.events(after: 0, limit: 1000).map(\.event)
    let decided = events.filter { $0.kind == .workflowApprovalDecided }
    #expect(decided.count == 1 && decided.first?.actor == "grace", "\(decided)")
    #expect(decided.first?.details["reason"] == .string("replica lag is 0"))
  }

  @Test(
    "Given a waiting approval, when an operator rejects it, then the workflow stops with the reason and no DNS change"
  )
  func rejectStops() async throws {
    let api = try Self.harness()
    try await api.warmUp()
    let id = try await api.failOver()
    try await api.waitForPendingApproval(id)
    let rejected = try await api.send(
      .POST, "/api/v1/workflows/\(id)/approval", token: APIHarness.operatorToken,
      json: #"{"decision":"reject","reason":"replica is 20 minutes behind"}"#)
    #expect(rejected.status == 200, "\(rejected.text)")
    await api.settle()

    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"])
    let workflow = try await api.latestWorkflow()
    #expect(workflow["state"] as? String == "failed")
    let reason = workflow["reason"] as? String ?? ""
    #expect(reason.contains("rejected by grace: replica is 20 minutes behind"), "\(reason)")
    let late = try await api.send(
      .POST, "/api/v1/workflows/\(id)/approval", token: APIHarness.operatorToken,
      json: #"{"decision":"approve","reason":"too late"}"#)
    #expect(late.status == 409, "\(late.text)")
  }

  @Test(
    "Given a waiting approval, when the process restarts, then the workflow still waits and an approval then completes it"
  )
  func restartKeepsWaiting() async throws {
    let first = try Self.harness()
    try await first.warmUp()
    let id = try await first.failOver()
    try await first.waitForPendingApproval(id)
    await first.application.stop()

    let second = try Self.harness(directory: first.directory, dns: first.dns)
    try await second.application.start()
    try await second.waitForPendingApproval(id)
    let waiting = try await second.send(.GET, "/api/v1/workflows/\(id)", token: APIHarness.viewer)
    #expect(waiting.json["state"] as? String == "pending_approval")
    let requested = try await second.store.events(after: 0, limit: 1000).map(\.event)
      .filter { $0.kind == .workflowApprovalRequested }
    #expect(requested.count == 1, "the question is asked once, across the restart")
    let approved = try await second.send(
      .POST, "/api/v1/workflows/\(id)/approval", token: APIHarness.operatorToken,
      json: #"{"decision":"approve","reason":"checked after the restart"}"#)
    #expect(approved.status == 200, "\(approved.text)")
    await second.settle()
    #expect(await second.dns.values(of: "api.example.com") == ["192.0.2.20"])
    #expect((try await second.latestWorkflow())["state"] as? String == "succeeded")
  }
}
