import FailoverCore
import Foundation
import Switchboard
import Telemetry
import Testing
import Webhooks

/// `http_hook` runbook steps against a real receiver on loopback, inside the application's workflows.
@Suite("Runbook: HTTP hooks")
struct RunbookHookTests {
  static let key = "s3cret-hook-key"

  static func harness(_ receiver: HookReceiver, attempts: Int = 3) throws -> APIHarness {
    let clock = EngineManualClock()
    let runbook = Runbook(beforeTraffic: [
      RunbookStep(
        name: "warm-caches",
        action: .httpHook(HTTPHookSpec(url: receiver.url, secretEnvironment: "HOOK_KEY")),
        timeout: 5, retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.5, maxDelay: 1))
    ])
    let hooks = HTTPHookCaller(environment: { $0 == "HOOK_KEY" ? key : nil })
    return try APIHarness(
      runbook: runbook, runbookPorts: RunbookPorts(hooks: hooks), sleeper: TickingSleeper(clock: clock),
      clock: clock)
  }

  @Test(
    "Given a hook that answers 500 twice then 200, when a failover runs, then it makes three signed attempts with one idempotency key before the DNS change"
  )
  func retriesWithOneKey() async throws {
    let receiver = try HookReceiver(statuses: [500, 500, 200])
    defer { Task { await receiver.server.shutdown() } }
    let api = try Self.harness(receiver)
    try await api.warmUp()
    let id = try await api.failOver()
    await api.settle()

    let requests = receiver.requests
    #expect(requests.count == 3)
    #expect(Set(requests.map(\.idempotencyKey)) == ["\(id)/runbook:before_traffic:warm-caches"])
    for request in requests {
      #expect(request.signature == HTTPHookCaller.signature(of: request.body, key: Self.key))
      let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any]
      #expect(body?["workflow_id"] as? String == id)
      #expect(body?["to_region"] as? String == "us-west-2")
    }
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.20"])
    let journal = try await api.journal(id)
    let hookDone = try #require(
      journal.firstIndex { $0.step.runbookReference != nil && $0.phase == .finished })
    let dnsStarted = try #require(journal.firstIndex { $0.step == .changeDNS })
    #expect(hookDone < dnsStarted, "the hook finished before the DNS change")
    if case .hook(let response) = journal[hookDone].detail.runbook {
      #expect(response.status == 200 && response.body == "answer 3")
    } else {
      Issue.record("the hook's answer is not journaled: \(journal[hookDone])")
    }
    let workflow = try await api.latestWorkflow()
    #expect(workflow["state"] as? String == "succeeded")
    let step = (workflow["runbook"] as? [[String: Any]])?.first
    #expect(step?["outcome"] as? String == "succeeded" && step?["attempts"] as? Int == 3, "\(workflow)")
    let metrics = await api.application.metrics.renderText()
    let counted =
      #"switchboard_runbook_steps_total{service="api.example.com",step="runbook:before_traffic:warm-caches",kind="http_hook",outcome="succeeded"}"#
    #expect(Exposition.value(metrics, counted) == 1, "\(metrics)")
    #expect(
      Exposition.value(
        metrics,
        #"switchboard_runbook_step_duration_seconds_count{service="api.example.com",step="runbook:before_traffic:warm-caches"}"#
      ) == 1)
  }

  @Test(
    "Given a hook that always fails, when a failover runs, then the workflow fails before any DNS change and says so"
  )
  func alwaysFailingAborts() async throws {
    let receiver = try HookReceiver(statuses: [503])
    defer { Task { await receiver.server.shutdown() } }
    let api = try Self.harness(receiver, attempts: 2)
    try await api.warmUp()
    let id = try await api.failOver()
    await api.settle()

    #expect(receiver.requests.count == 2)
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"], "no DNS change was made")
    let journal = try await api.journal(id)
    #expect(!journal.contains { $0.step == .changeDNS })
    let workflow = try await api.latestWorkflow()
    #expect(workflow["state"] as? String == "failed")
    let reason = workflow["reason"] as? String ?? ""
    #expect(reason.contains("runbook:before_traffic:warm-caches"), "\(reason)")
    #expect(reason.contains("answered 503"), "\(reason)")
    #expect(reason.contains("The workflow stopped before any DNS change."), "\(reason)")
    let failed = try await api.store.events(after: 0, limit: 1000).map(\.event).filter {
      $0.kind == .workflowFailed
    }
    #expect(failed.first?.message.contains("warm-caches") == true)
  }
}
