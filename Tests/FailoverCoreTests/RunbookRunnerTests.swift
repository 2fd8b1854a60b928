import FailoverCore
import Foundation
import Testing

/// Runbook steps inside the workflow runner: order, skips, failures, and exactly-once effects across crashes.
@Suite("WorkflowRunner: runbook steps")
struct RunbookRunnerTests {
  typealias F = Fixtures

  static let everyKind = Runbook(
    beforeTraffic: [
      RunbookStep(name: "scale", action: .ecsScale(ECSScaleSpec(cluster: "c", service: "s")), timeout: 60),
      RunbookStep(
        name: "promote", action: .databasePromote(DatabasePromoteSpec(identifier: "db")), inDrills: .run),
      RunbookStep(name: "hook", action: .httpHook(HTTPHookSpec(url: "http://127.0.0.1:1/hook")), timeout: 5),
      RunbookStep(
        name: "ok", action: .approval(ApprovalSpec(message: "go?", onTimeout: .approve)), timeout: 30),
    ],
    afterTraffic: [RunbookStep(name: "settle", action: .wait(seconds: 20))])

  @Test(
    "Given a runbook, then its steps sit before the DNS change, after the verification, and failback steps only in failbacks"
  )
  func planOrder() {
    let harness = Harness()
    var runbook = Self.everyKind
    runbook.afterFailback = [
      RunbookStep(name: "restore", action: .ecsScale(ECSScaleSpec(cluster: "c", service: "s")))
    ]
    let plan = harness.runbookPlan(runbook)
    #expect(
      plan.steps.map(\.rawValue) == [
        "checkTargetHealth", "notifyInitiated", "runbook:before_traffic:scale",
        "runbook:before_traffic:promote",
        "runbook:before_traffic:hook", "runbook:before_traffic:ok", "changeDNS", "waitForSync",
        "verifyRecord",
        "runbook:after_traffic:settle", "publishMetrics", "notifySucceeded",
      ])
    var service = plan.service
    service.runbook = runbook
    let failback = FailoverPlan(
      service: F.api, from: .single(F.api, F.west), to: .single(F.api, F.east), trigger: .failback,
      reason: "back")
    #expect(
      WorkflowStep.steps(for: failback, service: service).map(\.rawValue).contains(
        "runbook:after_failback:restore"))
    #expect(
      WorkflowStep(rawValue: "runbook:after_failback:restore")
        == .runbook(RunbookStepReference(stage: .afterFailback, name: "restore")))
  }

  @Test("Given a drill, then one-way and in_drills: skip steps are journaled as skipped with the reason")
  func drillSkips() async throws {
    let harness = Harness()
    let databases = FakeDatabases()
    var runbook = Self.everyKind
    runbook.beforeTraffic[1].inDrills = .skip
    let plan = harness.runbookPlan(runbook, drill: true)
    let result = await harness.runbookRunner(
      capacity: FakeCapacity([F.east: 4, F.west: 1]), databases: databases, hooks: FakeHooks()
    ).start(plan)
    #expect(result.outcome == .succeeded)
    #expect(await databases.promotions == 0)
    let skipped = await harness.journal.stepEntries.first {
      $0.step.rawValue == "runbook:before_traffic:promote"
    }
    #expect(skipped?.detail == .runbook(.skipped(reason: skipped?.message ?? "")))
    #expect(
      skipped?.message.contains("in_drills: skip") == true
        && skipped?.message.contains("cannot be undone") == true)
    #expect(await harness.journal.events.contains { $0.kind == .workflowStepSkipped })
  }

  @Test(
    "Given a manual-only approval, when the failover is automatic, then it is skipped and the workflow goes on"
  )
  func manualOnlySkippedWhenAutomatic() async throws {
    let harness = Harness()
    let runbook = Runbook(beforeTraffic: [
      RunbookStep(name: "ok", action: .approval(ApprovalSpec(message: "go?")), manualOnly: true)
    ])
    let result = await harness.runbookRunner().start(harness.runbookPlan(runbook))
    #expect(result.outcome == .succeeded)
    #expect(await harness.recordValues() == ["192.0.2.11"])
  }

  @Test(
    "Given an on_failure: continue hook that fails, then the workflow goes on and the journal says it continued"
  )
  func continueAfterFailure() async throws {
    let harness = Harness()
    let hooks = FakeHooks([500])
    let runbook = Runbook(afterTraffic: [
      RunbookStep(
        name: "tell-ci", action: .httpHook(HTTPHookSpec(url: "http://127.0.0.1:1/")),
        retry: RetryPolicy(maxAttempts: 2),
        onFailure: .continue)
    ])
    let result = await harness.runbookRunner(hooks: hooks).start(harness.runbookPlan(runbook))
    #expect(result.outcome == .succeeded)
    #expect(await hooks.requests.count == 2)
    let last = await harness.journal.stepEntries.last { $0.step.runbookReference != nil }
    if case .failedAndContinued = last?.detail.runbook {} else { Issue.record("\(String(describing: last))") }
  }

  @Test(
    "Given a before-traffic hook that keeps failing, then the failed notification names the step and says no DNS changed"
  )
  func failedNotificationNamesTheStep() async throws {
    let harness = Harness()
    let hooks = FakeHooks([502])
    let runbook = Runbook(beforeTraffic: [
      RunbookStep(
        name: "page-dba", action: .httpHook(HTTPHookSpec(url: "http://127.0.0.1:1/")),
        retry: RetryPolicy(maxAttempts: 2))
    ])
    let result = await harness.runbookRunner(hooks: hooks).start(harness.runbookPlan(runbook))
    guard case .failed(let step, _) = result.outcome else {
      Issue.record("\(result)")
      return
    }
    #expect(step.rawValue == "runbook:before_traffic:page-dba")
    let failed = await harness.notifier.delivered.last
    #expect(failed?.kind == .failed)
    #expect(failed?.reason.contains("Step runbook:before_traffic:page-dba failed after 2 attempt(s)") == true)
    #expect(
      failed?.reason.contains("The workflow stopped before any DNS change.") == true,
      "\(String(describing: failed))")
    #expect(await harness.dns.submissions.isEmpty)
    #expect(await harness.journal.events.contains { $0.kind == .workflowStepFailed })
  }

  @Test(
    "Given a failback, then a database promotion is skipped (one-way, never undone) and the approval guards it"
  )
  func failbackSkipsPromotion() async throws {
    let harness = Harness()
    let databases = FakeDatabases()
    var service = harness.service
    service.runbook = Runbook(beforeTraffic: [
      RunbookStep(name: "promote", action: .databasePromote(DatabasePromoteSpec(identifier: "db"))),
      RunbookStep(
        name: "ok", action: .approval(ApprovalSpec(message: "back?", onTimeout: .approve)), timeout: 5),
    ])
    let failback = FailoverPlan(
      service: F.api, from: .single(F.api, F.west), to: .single(F.api, F.east), trigger: .manual,
      reason: "back")
    let plan = WorkflowPlan(
      id: "wf-back", plan: failback, service: service,
      steps: WorkflowStep.steps(for: failback, service: service),
      decidedAt: harness.clock.now, explanation: "failback")
    await harness.health.set(F.east, .healthy)
    let result = await harness.runbookRunner(databases: databases).start(plan)
    #expect(result.outcome == .succeeded, "\(result)")
    #expect(await databases.promotions == 0)
    let skipped = await harness.journal.stepEntries.first {
      $0.step.rawValue == "runbook:before_traffic:promote"
    }
    #expect(skipped?.message.contains("failback never demotes") == true, "\(String(describing: skipped))")
    let predicted = RunbookPrediction.predict(failback, service: service)
    #expect(predicted.first?.skipReason?.contains("one-way") == true)
    #expect(predicted.first?.note?.contains("failback never demotes") == true)
  }

  @Test("Given an approval nobody decides, then the timeout's outcome applies at the journaled deadline")
  func approvalTimeout() async throws {
    let harness = Harness()
    let runbook = Runbook(beforeTraffic: [
      RunbookStep(
        name: "ok", action: .approval(ApprovalSpec(message: "go?", onTimeout: .reject)), timeout: 10)
    ])
    let result = await harness.runbookRunner().start(harness.runbookPlan(runbook))
    guard case .failed(_, let reason) = result.outcome else {
      Issue.record("\(result)")
      return
    }
    #expect(reason.contains("rejected by the timeout"), "\(reason)")
    #expect(await harness.dns.submissions.isEmpty)
  }

  @Test(
    "Given a workflow with every runbook step kind, when it is interrupted at every journal write and resumed, then each effect happens once"
  )
  func exactlyOnceAtEveryCrashPoint() async throws {
    let reference = Harness()
    _ = await reference.runbookRunner(
      capacity: FakeCapacity([F.east: 4, F.west: 1]), databases: FakeDatabases(), hooks: FakeHooks()
    ).start(reference.runbookPlan(Self.everyKind))
    let totalWrites = await reference.journal.writes
    #expect(totalWrites > 20)
    var hookRepeats = 0
    for crashPoint in 1..<totalWrites {
      let harness = Harness()
      let capacity = FakeCapacity([F.east: 4, F.west: 1])
      let databases = FakeDatabases()
      let hooks = FakeHooks()
      let runner = harness.runbookRunner(capacity: capacity, databases: databases, hooks: hooks)
      await harness.journal.crash(after: crashPoint)
      let first = await runner.start(harness.runbookPlan(Self.everyKind))
      #expect(first.outcome == nil, "crash point \(crashPoint)")
      await harness.journal.crash(after: nil)
      let resumed = try await runner.resumeUnfinished()
      #expect(resumed.map(\.outcome) == [.succeeded], "crash point \(crashPoint)")
      #expect(await capacity.updates.count == 1, "ECS updated once, crash point \(crashPoint)")
      #expect(await capacity.desired[F.west] == 4)
      #expect(await databases.promotions == 1, "promoted once, crash point \(crashPoint)")
      let keys = Set(await hooks.requests.map(\.idempotencyKey))
      #expect(keys == ["wf-1/runbook:before_traffic:hook"], "one idempotency key, crash point \(crashPoint)")
      hookRepeats += await hooks.requests.count - 1
      #expect(await harness.dns.submissions.count == 1)
      let events = await harness.journal.events
      #expect(events.filter { $0.kind == .workflowApprovalRequested }.count == 1, "crash point \(crashPoint)")
    }
    // A crash between the hook's answer and its journal entry repeats the request with the same key (the
    // receiver deduplicates by key): one crash point of all.
    #expect(hookRepeats <= 1, "hook requests repeated at \(hookRepeats) crash points")
  }
}
