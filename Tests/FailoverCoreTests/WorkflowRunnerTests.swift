import FailoverCore
import Foundation
import Testing

/// A runner wired to in-memory fakes and a manual clock.
struct Harness {
  typealias F = Fixtures
  let clock = ManualClock()
  let sleeper: ManualSleeper
  let dns: FakeDNS
  let metrics = FakeMetrics()
  let notifier = FakeNotifier()
  let health = FakeHealth()
  let endpoint = FakeRoutingEndpoint()
  let journal = InMemoryJournal()
  let service: Service
  var policy = Policy(syncTimeout: 60, syncPollInterval: 5)

  /// `legacyWeighted` starts weighted mode with the records earlier workflows wrote (set identifier = region id)
  /// instead of bootstrap's.
  init(mode: RoutingMode = .record, legacyWeighted: Bool = false) {
    sleeper = ManualSleeper(clock: clock)
    let service = F.service(mode: mode)
    self.service = service
    let initial: [DNSRecord] =
      switch mode {
      case .record: [DNSRecord(name: "api.example.com", type: "A", ttl: 60, values: ["192.0.2.10"])]
      case .weighted:
        service.regions.map {
          DNSRecord(
            name: "api.example.com", type: "A", ttl: 60, values: [$0.target],
            routing: .weighted(
              weight: 100,
              setIdentifier: legacyWeighted
                ? RecordSetIdentifier.legacy(region: $0.region)
                : RecordSetIdentifier.canonical(service: service.id, region: $0.region)))
        }
      case .failoverHealthCheck: []
      }
    dns = FakeDNS(clock: clock, records: initial)
  }

  /// Whether a metrics destination is configured (nil metrics port otherwise).
  var publishesMetrics = true

  var runner: WorkflowRunner {
    WorkflowRunner(
      ports: .init(
        dns: dns, metrics: publishesMetrics ? metrics : nil, notifier: notifier, journal: journal,
        health: health,
        routingEndpoint: endpoint,
        clock: clock, sleeper: sleeper, jitter: FixedJitter(value: 0.5)),
      policy: policy)
  }

  /// The decider's plan for "primary unhealthy" (or a weighted region failing), as a workflow.
  func failoverPlan(id: String = "wf-1") -> WorkflowPlan {
    let routing: RoutingState =
      service.routingMode == .weighted
      ? RoutingState(service: F.api, weights: [F.east: 100, F.west: 100]) : .single(F.api, F.east)
    let decision = Decider.decide(
      DecisionInput(
        service: service, routing: routing,
        health: [
          F.east: F.health(.unhealthy, since: clock.now.addingTimeInterval(-3)), F.west: F.health(.healthy),
        ],
        now: clock.now))
    return WorkflowPlan(id: id, decision: decision, service: service)!
  }

  func recordValues() async -> [String] {
    await dns.records.filter { $0.setIdentifier == nil }.flatMap(\.values)
  }
}

@Suite("WorkflowRunner: journaled, retried, resumable failover workflows")
struct WorkflowRunnerTests {
  typealias F = Fixtures

  @Test(
    "Given an initiated failover, when the workflow runs, then DNS moves, syncs, verifies, and all is recorded"
  )
  func happyPath() async throws {
    let harness = Harness()
    await harness.dns.configure(pendingPolls: 2)
    let plan = harness.failoverPlan()
    let result = await harness.runner.start(plan)
    #expect(result.outcome == .succeeded)
    #expect(await harness.recordValues() == ["192.0.2.11"])
    #expect(await harness.dns.submissions.count == 1)
    #expect(await harness.dns.statusPolls == 3)
    #expect(await harness.notifier.delivered.map(\.kind) == [.initiated, .succeeded])
    #expect(await harness.metrics.published.map(\.name) == ["Failovers", "FailoverSeconds"])
    let entries = await harness.journal.stepEntries
    for (index, step) in plan.steps.enumerated() {
      #expect(entries.filter { $0.index == index }.map(\.phase) == [.started, .finished], "\(step)")
    }
    let timings = result.timings
    #expect(timings.firstUnhealthyAt == F.t0 - 3)
    #expect(timings.dnsChangeAcceptedAt == F.t0)
    #expect(timings.inSyncAt == F.t0 + 10)
    #expect(timings.verifiedAt == F.t0 + 10)
    #expect(timings.secondsSinceStart["verified"] == 13)
    let kinds = await harness.journal.events.map(\.kind)
    #expect(kinds.first == .workflowStarted)
    #expect(kinds.last == .workflowSucceeded)
    #expect(await harness.journal.outcomes["wf-1"] == .succeeded)
  }

  @Test("Given Route53 throttling twice, then the change is retried with full-jitter exponential backoff")
  func retriesWithBackoff() async throws {
    let harness = Harness()
    await harness.dns.configure(failSubmits: 2)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    #expect(harness.sleeper.recorded == [0.5, 1.0])
    #expect(await harness.dns.submissions.count == 1)
    let retried = await harness.journal.events.filter { $0.kind == .workflowStepRetried }
    #expect(retried.count == 2)
    #expect(retried[0].message.contains("Throttling"))
  }

  @Test("Given Route53 failing every attempt, then the workflow fails with the reason and the record stays")
  func exhaustedRetriesFailTheWorkflow() async throws {
    var harness = Harness()
    harness.policy.stepRetry = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 4)
    await harness.dns.configure(failSubmits: 100)
    let result = await harness.runner.start(harness.failoverPlan())
    guard case .failed(let step, let reason) = result.outcome else {
      Issue.record("expected failure, got \(String(describing: result.outcome))")
      return
    }
    #expect(step == .changeDNS)
    #expect(reason.contains("3 attempt(s)"))
    #expect(reason.contains("Throttling"))
    #expect(await harness.recordValues() == ["192.0.2.10"])
    #expect(await harness.notifier.delivered.map(\.kind) == [.initiated, .failed])
    #expect(await harness.journal.events.last?.kind == .workflowFailed)
    #expect(await harness.journal.events.last?.message.contains("stays at us-east-1=100") == true)
  }

  @Test(
    "Given a DNS server refusing the change's prerequisite, then the workflow stops at once with its sentence"
  )
  func prerequisiteFailureStopsTheWorkflow() async throws {
    var harness = Harness()
    harness.policy.stepRetry = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 4)
    await harness.dns.refuse(
      DNSProviderError(
        .prerequisiteFailed, "someone else changed A api.example.com; Switchboard did not overwrite it"))
    let result = await harness.runner.start(harness.failoverPlan())
    guard case .failed(let step, let reason) = result.outcome else {
      Issue.record("expected failure, got \(String(describing: result.outcome))")
      return
    }
    #expect(step == .changeDNS)
    #expect(reason.contains("1 attempt(s)"))
    #expect(reason.contains("someone else changed"))
    #expect(harness.sleeper.recorded.isEmpty)
    #expect(await harness.recordValues() == ["192.0.2.10"])
  }

  @Test("Given a failover, then the change batch expects the records of the routing it moves away from")
  func batchCarriesTheExpectedRecords() async throws {
    let harness = Harness()
    _ = await harness.runner.start(harness.failoverPlan())
    let batch = try #require(await harness.dns.submissions.first)
    #expect(batch.expected?.map(\.values) == [["192.0.2.10"]])
  }

  @Test(
    "Given a target that became unhealthy, then the workflow fails at checkTargetHealth without a DNS call")
  func targetTurnedUnhealthy() async throws {
    let harness = Harness()
    await harness.health.set(F.west, .unhealthy)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(
      result.outcome
        == .failed(
          step: .checkTargetHealth,
          reason:
            "Step checkTargetHealth failed after 1 attempt(s): target us-west-2 is unhealthy: fake says unhealthy. "
            + "api.example.com stays at us-east-1=100."
        ))
    #expect(await harness.dns.submissions.isEmpty)
  }

  @Test(
    "Given a target whose health is not known yet (resumed before the first probe), then the check waits for the verdict and the failover succeeds"
  )
  func unknownTargetIsAwaited() async throws {
    let harness = Harness()
    await harness.health.unknown(F.west, reads: 4)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    #expect(await harness.recordValues() == ["192.0.2.11"])
    #expect(harness.sleeper.recorded.prefix(4) == [0.5, 0.5, 0.5, 0.5])
  }

  @Test(
    "Given a target unknown for longer than the wait, then the check is retried with backoff and still succeeds"
  )
  func unknownTargetIsRetried() async throws {
    let harness = Harness()
    await harness.health.unknown(F.west, reads: 70)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    #expect(await harness.journal.events.filter { $0.kind == .workflowStepRetried }.count == 1)
  }

  @Test("Given a target that stays unknown, then the workflow fails after its retries without a DNS call")
  func unknownTargetForever() async throws {
    let harness = Harness()
    await harness.health.unknown(F.west, reads: 1000)
    let result = await harness.runner.start(harness.failoverPlan())
    guard case .failed(let step, let reason) = result.outcome else {
      Issue.record("expected a failed workflow, got \(result.outcome)")
      return
    }
    #expect(step == .checkTargetHealth)
    #expect(reason.contains("target us-west-2 is unknown"))
    #expect(await harness.dns.submissions.isEmpty)
  }

  @Test("Given a notifier that always fails, then the failover still succeeds and the failures are events")
  func notificationsNeverFailTheWorkflow() async throws {
    let harness = Harness()
    await harness.notifier.fail(1000)
    await harness.metrics.fail(1000)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    #expect(await harness.recordValues() == ["192.0.2.11"])
    let kinds = await harness.journal.events.map(\.kind)
    #expect(kinds.filter { $0 == .notificationFailed }.count == 2)
    #expect(kinds.filter { $0 == .metricsFailed }.count == 1)
  }

  @Test(
    "Given no metrics destination, when a failover runs, then the metrics step finishes at once saying so and nothing is published"
  )
  func noMetricsDestination() async throws {
    var harness = Harness()
    harness.publishesMetrics = false
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    #expect(await harness.metrics.published.isEmpty)
    let step = await harness.journal.stepEntries.first { $0.step == .publishMetrics && $0.phase == .finished }
    #expect(
      step?.message.contains("No metrics destination is configured") == true, "\(String(describing: step))")
    #expect(await !harness.journal.events.map(\.kind).contains(.metricsFailed))
  }

  @Test(
    "Given a crash at every possible journal write, when resumed, then DNS changes exactly once and events are not duplicated"
  )
  func crashAnywhereResumesExactlyOnce() async throws {
    let reference = Harness()
    _ = await reference.runner.start(reference.failoverPlan())
    let totalWrites = await reference.journal.writes
    #expect(totalWrites > 10)
    for crashPoint in 0..<totalWrites {
      let harness = Harness()
      await harness.dns.configure(pendingPolls: 1)
      await harness.journal.crash(after: crashPoint)
      let first = await harness.runner.start(harness.failoverPlan())
      #expect(first.outcome == nil, "crash point \(crashPoint)")
      await harness.journal.crash(after: nil)
      let resumed = try await harness.runner.resumeUnfinished()
      if crashPoint == 0 {
        #expect(resumed.isEmpty)
        continue
      }
      #expect(resumed.map(\.outcome) == [.succeeded], "crash point \(crashPoint)")
      #expect(await harness.dns.submissions.count == 1, "crash point \(crashPoint)")
      #expect(await harness.recordValues() == ["192.0.2.11"])
      let events = await harness.journal.events
      #expect(Set(events).count == events.count, "duplicate events at crash point \(crashPoint)")
      #expect(events.filter { $0.kind == .workflowSucceeded }.count == 1)
      #expect(try await harness.journal.unfinishedWorkflows().isEmpty)
    }
  }

  @Test(
    "Given a crash right after Route53 accepted the change, when resumed, then the record is read, not resubmitted"
  )
  func changeDNSStartedButNotFinished() async throws {
    let harness = Harness()
    let plan = harness.failoverPlan()
    let changeIndex = plan.steps.firstIndex(of: .changeDNS)!
    // Writes: begin, then started+finished per earlier step, then changeDNS started; crash on its finished.
    await harness.journal.crash(after: 1 + 2 * changeIndex + 1)
    _ = await harness.runner.start(plan)
    #expect(await harness.dns.submissions.count == 1)
    let last = await harness.journal.stepEntries.last
    #expect(last?.step == .changeDNS && last?.phase == .started)
    await harness.journal.crash(after: nil)
    let result = await harness.runner.resume(plan)
    #expect(result.outcome == .succeeded)
    #expect(await harness.dns.submissions.count == 1)
    let finished = await harness.journal.stepEntries.first { $0.step == .changeDNS && $0.phase == .finished }
    #expect(finished?.message.contains("nothing was submitted") == true)
  }

  @Test("Given weighted mode, then the failing region's weighted record goes to 0 and the other keeps 100")
  func weightedWorkflow() async throws {
    let harness = Harness(mode: .weighted)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    let weights = await harness.dns.records.compactMap { record -> (String, Int)? in
      if case .weighted(let weight, let id) = record.routing { return (id, weight) }
      return nil
    }
    #expect(
      Dictionary(uniqueKeysWithValues: weights) == [
        "api.example.com/us-east-1": 0, "api.example.com/us-west-2": 100,
      ])
  }

  @Test(
    "Given weighted records under the legacy set identifiers, when the workflow runs, then one batch deletes them and writes the canonical ones"
  )
  func weightedWorkflowMigratesLegacyRecords() async throws {
    let harness = Harness(mode: .weighted, legacyWeighted: true)
    let result = await harness.runner.start(harness.failoverPlan())
    #expect(result.outcome == .succeeded)
    let records = await harness.dns.records
    let weights = records.compactMap { record -> (String, Int)? in
      if case .weighted(let weight, let id) = record.routing { return (id, weight) }
      return nil
    }
    #expect(
      Dictionary(uniqueKeysWithValues: weights) == [
        "api.example.com/us-east-1": 0, "api.example.com/us-west-2": 100,
      ], "\(records)")
    let batches = await harness.dns.submissions
    #expect(batches.count == 1)
    #expect(
      Set(batches.first?.changes.filter { $0.action == .delete }.compactMap(\.record.setIdentifier) ?? [])
        == ["us-east-1", "us-west-2"])
  }

  @Test("Given failover-health-check mode, then the routing endpoint flips and Route53 is never called")
  func routingEndpointWorkflow() async throws {
    let harness = Harness(mode: .failoverHealthCheck)
    let plan = harness.failoverPlan()
    #expect(plan.steps.contains(.updateRoutingEndpoint) && !plan.steps.contains(.changeDNS))
    let result = await harness.runner.start(plan)
    #expect(result.outcome == .succeeded)
    #expect(await harness.dns.submissions.isEmpty)
    #expect(await harness.dns.zoneLookups == 0)
    #expect(try await harness.endpoint.published(service: F.api)?.receivingRegions == [F.west])
    #expect(result.timings.verifiedAt == F.t0)
  }

  @Test("Given a change that never reaches INSYNC, then the workflow fails and the record is put back")
  func failureAfterChangeReverts() async throws {
    var harness = Harness()
    harness.policy.syncTimeout = 10
    await harness.dns.configure(pendingPolls: 1000)
    let result = await harness.runner.start(harness.failoverPlan())
    guard case .failed(let step, let reason) = result.outcome else {
      Issue.record("expected failure")
      return
    }
    #expect(step == .waitForSync)
    #expect(reason.hasSuffix("The DNS change was reverted; api.example.com stays at us-east-1=100."))
    #expect(await harness.recordValues() == ["192.0.2.10"])
    #expect(await harness.dns.submissions.count == 2)
    let revert = await harness.journal.stepEntries.last { $0.step == .revertDNS }
    #expect(revert?.phase == .finished)
  }

  @Test(
    "Given a crash while reverting, when resumed, then the revert happens once and the failure is recorded once"
  )
  func crashDuringRevert() async throws {
    var reference = Harness()
    reference.policy.syncTimeout = 10
    await reference.dns.configure(pendingPolls: 1000)
    _ = await reference.runner.start(reference.failoverPlan())
    let writes = await reference.journal.writes
    var harness = Harness()
    harness.policy.syncTimeout = 10
    await harness.dns.configure(pendingPolls: 1000)
    // The last two writes are the revert's "finished" entry and the workflow's end: crash on the first of them.
    await harness.journal.crash(after: writes - 2)
    let first = await harness.runner.start(harness.failoverPlan())
    #expect(first.outcome == nil)
    #expect(await harness.dns.submissions.count == 2)
    await harness.journal.crash(after: nil)
    let resumed = try await harness.runner.resumeUnfinished()
    #expect(resumed.count == 1)
    #expect(await harness.dns.submissions.count == 2)
    #expect(await harness.recordValues() == ["192.0.2.10"])
    #expect(await harness.journal.events.filter { $0.kind == .workflowFailed }.count == 1)
  }

  @Test(
    "Given a change that never reaches INSYNC, then waitForSync fails the workflow after the sync timeout")
  func syncTimeout() async throws {
    let harness = Harness()
    await harness.dns.configure(pendingPolls: 1000)
    let result = await harness.runner.start(harness.failoverPlan())
    guard case .failed(let step, let reason) = result.outcome else {
      Issue.record("expected failure")
      return
    }
    #expect(step == .waitForSync)
    #expect(reason.contains("not INSYNC within 60 s"))
    #expect(await harness.dns.statusPolls == 12)
  }
}
