import Foundation

/// A step failure that retrying cannot fix (e.g. the target turned unhealthy).
/// The target's health is not known yet; the step is retried with backoff rather than failed.
public struct TargetHealthPending: Error, Sendable, CustomStringConvertible {
  public var region: RegionID
  public var reason: String
  public var description: String { "target \(region) is unknown: \(reason)" }
}

public struct PermanentStepError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Executes workflow plans against the ports: journals each step before and after it runs, retries with
/// exponential backoff and full jitter, and resumes from the journal after a crash without repeating finished
/// steps. Notifications and metrics never fail a workflow.
public struct WorkflowRunner: Sendable {
  /// The outside world the runner talks to.
  public struct Ports: Sendable {
    /// Route53 in production.
    public var dns: any DNSProvider
    /// CloudWatch in production.
    public var metrics: any MetricsProvider
    /// SNS or webhook in production.
    public var notifier: any Notifier
    /// The store.
    public var journal: any WorkflowJournal
    /// The engine's current health.
    public var health: any TargetHealthSource
    /// Needed by `failover-health-check` services only.
    public var routingEndpoint: (any RoutingEndpointPublisher)?
    /// The source of now.
    public var clock: any Clock
    /// Waits between retries and polls.
    public var sleeper: any Sleeper
    /// Random fractions for backoff.
    public var jitter: any JitterSource
    public init(
      dns: any DNSProvider, metrics: any MetricsProvider, notifier: any Notifier,
      journal: any WorkflowJournal,
      health: any TargetHealthSource, routingEndpoint: (any RoutingEndpointPublisher)? = nil,
      clock: any Clock, sleeper: any Sleeper = TaskSleeper(), jitter: any JitterSource = SystemJitter()
    ) {
      self.dns = dns
      self.metrics = metrics
      self.notifier = notifier
      self.journal = journal
      self.health = health
      self.routingEndpoint = routingEndpoint
      self.clock = clock
      self.sleeper = sleeper
      self.jitter = jitter
    }
  }

  /// The outside world.
  public var ports: Ports
  /// Retries and sync timeouts.
  public var policy: Policy
  /// The CloudWatch namespace of Switchboard's own metrics.
  public var metricsNamespace: String

  public init(ports: Ports, policy: Policy, metricsNamespace: String = "Switchboard") {
    self.ports = ports
    self.policy = policy
    self.metricsNamespace = metricsNamespace
  }

  /// Begins a new workflow (journaled with the decision's events) and runs it to the end.
  public func start(_ plan: WorkflowPlan, events: [Event] = []) async -> WorkflowResult {
    let started = Event(
      kind: .workflowStarted, scope: .service(plan.plan.service), actor: plan.plan.actor, at: ports.clock.now,
      message: "Workflow \(plan.id) started: \(plan.plan.from.summary) → \(plan.plan.to.summary).",
      details: ["workflow": .string(plan.id), "trigger": .string(plan.plan.trigger.rawValue)])
    do {
      try await ports.journal.begin(plan, events: events + [started])
    } catch {
      return interrupted(plan, [], "the journal refused the workflow: \(error)")
    }
    return await execute(plan, journaled: [])
  }

  /// Continues a workflow from its journal: finished steps are skipped, the rest run.
  public func resume(_ plan: WorkflowPlan) async -> WorkflowResult {
    do {
      let entries = try await ports.journal.entries(workflowID: plan.id)
      return await execute(plan, journaled: entries)
    } catch {
      return interrupted(plan, [], "the journal could not be read: \(error)")
    }
  }

  /// Resumes every unfinished workflow, oldest first (call once at startup).
  public func resumeUnfinished() async throws -> [WorkflowResult] {
    var results: [WorkflowResult] = []
    for plan in try await ports.journal.unfinishedWorkflows() { results.append(await resume(plan)) }
    return results
  }

  // MARK: Execution

  private struct Interruption: Error { var reason: String }

  private enum StepResult {
    case done([String: JSONValue])
    case failed(String)
  }

  private func execute(_ plan: WorkflowPlan, journaled: [StepJournalEntry]) async -> WorkflowResult {
    var entries = journaled.filter { $0.workflowID == plan.id }
    var facts: [String: JSONValue] = [:]
    for entry in entries where entry.phase == .finished { facts.merge(entry.detail) { _, new in new } }
    do {
      for (index, step) in plan.steps.enumerated() {
        if entries.contains(where: { $0.index == index && $0.phase == .finished }) { continue }
        if let failed = entries.first(where: { $0.index == index && $0.phase == .failed }) {
          return try await fail(plan, step: step, reason: failed.message, entries: &entries)
        }
        let prior = entries.filter { $0.index == index }.map(\.attempt).max() ?? 0
        switch try await run(
          step, index: index, plan: plan, facts: facts, priorAttempts: prior, entries: &entries)
        {
        case .done(let detail): facts.merge(detail) { _, new in new }
        case .failed(let reason): return try await fail(plan, step: step, reason: reason, entries: &entries)
        }
      }
      return try await succeed(plan, entries: entries)
    } catch let interruption as Interruption {
      return interrupted(plan, entries, interruption.reason)
    } catch {
      return interrupted(plan, entries, "\(error)")
    }
  }

  private func run(
    _ step: WorkflowStep, index: Int, plan: WorkflowPlan, facts: [String: JSONValue], priorAttempts: Int,
    entries: inout [StepJournalEntry]
  ) async throws -> StepResult {
    let retry =
      step == .notifyInitiated || step == .notifySucceeded ? policy.notificationRetry : policy.stepRetry
    let backoff = Backoff(policy: retry, jitter: ports.jitter)
    let maxAttempts = max(1, retry.maxAttempts)
    var attempt = priorAttempts
    for tryNumber in 1...maxAttempts {
      attempt += 1
      let resumed = tryNumber == 1 && priorAttempts > 0 ? " (resumed after a restart)" : ""
      try await journal(
        plan, index, step, .started, attempt, "Step \(step.rawValue) started, attempt \(attempt)\(resumed).",
        [:],
        kind: .workflowStepStarted, entries: &entries)
      do {
        let timings = WorkflowTimings(plan: plan, entries: entries)
        let (message, detail) = try await perform(step, plan: plan, facts: facts, timings: timings)
        try await journal(
          plan, index, step, .finished, attempt, message, detail, kind: .workflowStepFinished,
          entries: &entries)
        return .done(detail)
      } catch let interruption as Interruption {
        throw interruption
      } catch {
        let reason = "\(error)"
        let permanent = error is PermanentStepError
        if !permanent && tryNumber < maxAttempts {
          let delay = backoff.delay(beforeRetry: tryNumber)
          try await journal(
            plan, index, step, .retrying, attempt,
            "Step \(step.rawValue) failed (\(reason)); retrying in \(String(format: "%.1f", delay)) s.",
            ["delay_seconds": .double(delay)], kind: .workflowStepRetried, entries: &entries)
          do { try await ports.sleeper.sleep(seconds: delay) } catch {
            throw Interruption(reason: "cancelled")
          }
          continue
        }
        if step.isBestEffort {
          let kind: EventKind = step == .publishMetrics ? .metricsFailed : .notificationFailed
          try await journal(
            plan, index, step, .finished, attempt,
            "Step \(step.rawValue) gave up after \(tryNumber) attempts (\(reason)); the failover goes on.",
            ["best_effort_failed": .bool(true)], kind: kind, entries: &entries)
          return .done([:])
        }
        let sentence = "Step \(step.rawValue) failed after \(tryNumber) attempt(s): \(reason)"
        try await journal(plan, index, step, .failed, attempt, sentence, [:], kind: nil, entries: &entries)
        return .failed(sentence)
      }
    }
    return .failed("Step \(step.rawValue) made no attempt.")
  }

  /// How long checkTargetHealth waits for a target's first verdict, and how often it asks.
  static let unknownHealthWait = 30.0
  static let unknownHealthPoll = 0.5

  private func perform(
    _ step: WorkflowStep, plan: WorkflowPlan, facts: [String: JSONValue], timings: WorkflowTimings
  ) async throws -> (String, [String: JSONValue]) {
    let service = plan.service
    let target = plan.plan.to
    switch step {
    case .checkTargetHealth:
      var verdicts: [String] = []
      for region in target.receivingRegions {
        var health = try await ports.health.health(service: service.id, region: region)
        // Not yet known (a workflow resumed before the first probe round): wait for a verdict, bounded; a target
        // still unknown after that is retried with backoff like any transient failure.
        var waited = 0.0
        while health.status == .unknown && !plan.plan.allowsUnhealthyTarget
          && waited < Self.unknownHealthWait
        {
          try await ports.sleeper.sleep(seconds: Self.unknownHealthPoll)
          waited += Self.unknownHealthPoll
          health = try await ports.health.health(service: service.id, region: region)
        }
        if health.status == .unknown && !plan.plan.allowsUnhealthyTarget {
          throw TargetHealthPending(region: region, reason: health.reason)
        }
        if !health.status.canReceiveTraffic && !plan.plan.allowsUnhealthyTarget {
          throw PermanentStepError("target \(region) is \(health.status.rawValue): \(health.reason)")
        }
        verdicts.append("\(region) \(health.status.rawValue)")
      }
      return ("Target health: \(verdicts.joined(separator: ", ")).", [:])
    case .notifyInitiated:
      try await ports.notifier.notify(notification(.initiated, plan, reason: plan.plan.reason, timings))
      return ("Initiated notification delivered.", [:])
    case .changeDNS:
      let zoneID = try await zone(service, facts)
      let actual = try await ports.dns.records(zoneID: zoneID, name: service.dnsName)
      let differences = DNSTarget.differences(for: target, service: service, actual: actual)
      if differences.isEmpty {
        return (
          "The record already points at the target; nothing was submitted.",
          ["zone_id": .string(zoneID), "submitted": .bool(false)]
        )
      }
      let batch = DNSChangeBatch(
        zoneID: zoneID, comment: "Switchboard workflow \(plan.id): \(plan.plan.trigger.rawValue)",
        changes: DNSTarget.changes(for: target, service: service, actual: actual))
      let receipt = try await ports.dns.submit(batch)
      return (
        "Change \(receipt.id) accepted (\(receipt.status.rawValue)): \(differences.joined(separator: "; ")).",
        [
          "zone_id": .string(zoneID), "submitted": .bool(true), "change_id": .string(receipt.id),
          "change_status": .string(receipt.status.rawValue),
        ]
      )
    case .waitForSync:
      guard let changeID = facts["change_id"]?.stringValue, facts["submitted"] == .bool(true) else {
        return ("No change was submitted; nothing to wait for.", [:])
      }
      if facts["change_status"] == .string(DNSChangeStatus.inSync.rawValue) {
        return ("Change \(changeID) was INSYNC when accepted.", [:])
      }
      let polls = max(1, Int((policy.syncTimeout / max(policy.syncPollInterval, 0.001)).rounded(.up)))
      for poll in 1...polls {
        if try await ports.dns.changeStatus(id: changeID) == .inSync {
          return ("Change \(changeID) is INSYNC after \(poll) poll(s).", [:])
        }
        if poll < polls {
          do { try await ports.sleeper.sleep(seconds: policy.syncPollInterval) } catch {
            throw Interruption(reason: "cancelled")
          }
        }
      }
      throw PermanentStepError("change \(changeID) was not INSYNC within \(Int(policy.syncTimeout)) s")
    case .verifyRecord:
      let zoneID = try await zone(service, facts)
      let actual = try await ports.dns.records(zoneID: zoneID, name: service.dnsName)
      let differences = DNSTarget.differences(for: target, service: service, actual: actual)
      guard differences.isEmpty else {
        throw RetryableStepError(
          "the record is not at the target yet: \(differences.joined(separator: "; "))")
      }
      return ("\(service.dnsName) now points at the target (\(target.summary)).", [:])
    case .updateRoutingEndpoint:
      guard let endpoint = ports.routingEndpoint else {
        throw PermanentStepError("no routing endpoint publisher is configured for failover-health-check mode")
      }
      try await endpoint.publish(target)
      return (
        "The routing endpoint now answers 200 for \(target.receivingRegions.map(\.rawValue).joined(separator: ", ")).",
        [:]
      )
    case .publishMetrics:
      let now = ports.clock.now
      var data = [
        MetricDatum(
          name: "Failovers",
          dimensions: ["Service": service.id.rawValue, "Trigger": plan.plan.trigger.rawValue],
          value: 1, unit: "Count", timestamp: now)
      ]
      if let seconds = timings.secondsSinceStart["verified"] {
        data.append(
          MetricDatum(
            name: "FailoverSeconds", dimensions: ["Service": service.id.rawValue], value: seconds,
            unit: "Seconds",
            timestamp: now))
      }
      try await ports.metrics.publish(namespace: metricsNamespace, data)
      return ("Published \(data.count) metric(s) to \(metricsNamespace).", [:])
    case .revertDNS:
      let zoneID = try await zone(service, facts)
      let actual = try await ports.dns.records(zoneID: zoneID, name: service.dnsName)
      if DNSTarget.differences(for: plan.plan.from, service: service, actual: actual).isEmpty {
        return ("The record already points where it was; nothing was submitted.", ["reverted": .bool(true)])
      }
      let receipt = try await ports.dns.submit(
        DNSChangeBatch(
          zoneID: zoneID, comment: "Switchboard workflow \(plan.id): revert after failure",
          changes: DNSTarget.changes(for: plan.plan.from, service: service, actual: actual)))
      return (
        "Change \(receipt.id) puts the record back to \(plan.plan.from.summary).",
        ["reverted": .bool(true), "revert_change_id": .string(receipt.id)]
      )
    case .notifySucceeded:
      try await ports.notifier.notify(
        notification(.succeeded, plan, reason: "Traffic now goes to \(target.summary).", timings))
      return ("Succeeded notification delivered.", [:])
    }
  }

  private func zone(_ service: Service, _ facts: [String: JSONValue]) async throws -> String {
    if let id = service.hostedZoneID { return id }
    if let id = facts["zone_id"]?.stringValue { return id }
    return try await ports.dns.hostedZoneID(forDomain: service.hostedZone)
  }

  private func notification(
    _ kind: FailoverNotification.Kind, _ plan: WorkflowPlan, reason: String, _ timings: WorkflowTimings
  ) -> FailoverNotification {
    FailoverNotification(
      kind: kind, service: plan.plan.service.rawValue, fromRegion: plan.plan.from.activeRegion?.rawValue,
      toRegion: plan.plan.to.activeRegion?.rawValue, reason: reason, timings: timings.secondsSinceStart,
      at: ports.clock.now)
  }

  // MARK: Endings

  private func succeed(_ plan: WorkflowPlan, entries: [StepJournalEntry]) async throws -> WorkflowResult {
    var timings = WorkflowTimings(plan: plan, entries: entries)
    timings.finishedAt = ports.clock.now
    let event = Event(
      kind: .workflowSucceeded, scope: .service(plan.plan.service), actor: plan.plan.actor,
      at: ports.clock.now,
      message: "Workflow \(plan.id) succeeded: \(plan.plan.service) now routes \(plan.plan.to.summary).",
      details: [
        "workflow": .string(plan.id),
        "timings": .object(timings.secondsSinceStart.mapValues(JSONValue.double)),
      ])
    do {
      try await ports.journal.finish(plan.id, outcome: .succeeded, timings: timings, events: [event])
    } catch {
      throw Interruption(reason: "the journal could not record the end: \(error)")
    }
    return WorkflowResult(workflowID: plan.id, outcome: .succeeded, timings: timings, interruption: nil)
  }

  private func fail(
    _ plan: WorkflowPlan, step: WorkflowStep, reason: String, entries: inout [StepJournalEntry]
  ) async throws -> WorkflowResult {
    let reason = try await revertIfChanged(plan, reason: reason, entries: &entries)
    var timings = WorkflowTimings(plan: plan, entries: entries)
    timings.finishedAt = ports.clock.now
    let delivery = NotificationDelivery(
      notifier: ports.notifier, backoff: Backoff(policy: policy.notificationRetry, jitter: ports.jitter),
      sleeper: ports.sleeper)
    let clock = ports.clock
    var events: [Event] = []
    if let failure = await delivery.deliver(
      notification(.failed, plan, reason: reason, timings), at: { clock.now })
    {
      events.append(failure)
    }
    events.append(
      Event(
        kind: .workflowFailed, scope: .service(plan.plan.service), actor: plan.plan.actor,
        at: ports.clock.now,
        message:
          "Workflow \(plan.id) failed. \(reason)",
        details: ["workflow": .string(plan.id), "step": .string(step.rawValue), "reason": .string(reason)]))
    let outcome = WorkflowOutcome.failed(step: step, reason: reason)
    do {
      try await ports.journal.finish(plan.id, outcome: outcome, timings: timings, events: events)
    } catch {
      throw Interruption(reason: "the journal could not record the end: \(error)")
    }
    return WorkflowResult(workflowID: plan.id, outcome: outcome, timings: timings, interruption: nil)
  }

  /// After a failure past an accepted DNS change, puts the records back (once, journaled) and says so.
  private func revertIfChanged(
    _ plan: WorkflowPlan, reason: String, entries: inout [StepJournalEntry]
  ) async throws -> String {
    let service = plan.plan.service
    let from = plan.plan.from.summary
    let reason = reason.hasSuffix(".") ? reason : reason + "."
    let submitted = entries.first {
      $0.step == .changeDNS && $0.phase == .finished && $0.detail["submitted"] == .bool(true)
    }
    guard let submitted else { return "\(reason) \(service) stays at \(from)." }
    let index = plan.steps.count
    if entries.contains(where: { $0.index == index && $0.phase == .finished }) {
      return "\(reason) The DNS change was reverted; \(service) stays at \(from)."
    }
    if let failed = entries.first(where: { $0.index == index && $0.phase == .failed }) {
      return
        "\(reason) Reverting the DNS change failed too (\(failed.message)); the record may still point at "
        + "\(plan.plan.to.summary)."
    }
    let prior = entries.filter { $0.index == index }.map(\.attempt).max() ?? 0
    switch try await run(
      .revertDNS, index: index, plan: plan, facts: submitted.detail, priorAttempts: prior, entries: &entries)
    {
    case .done: return "\(reason) The DNS change was reverted; \(service) stays at \(from)."
    case .failed(let revert):
      return "\(reason) Reverting the DNS change failed too (\(revert)); the record may still point at "
        + "\(plan.plan.to.summary)."
    }
  }

  private func interrupted(_ plan: WorkflowPlan, _ entries: [StepJournalEntry], _ reason: String)
    -> WorkflowResult
  {
    WorkflowResult(
      workflowID: plan.id, outcome: nil, timings: WorkflowTimings(plan: plan, entries: entries),
      interruption: "Workflow \(plan.id) stopped before its end and will resume: \(reason)")
  }

  private func journal(
    _ plan: WorkflowPlan, _ index: Int, _ step: WorkflowStep, _ phase: StepPhase, _ attempt: Int,
    _ message: String,
    _ detail: [String: JSONValue], kind: EventKind?, entries: inout [StepJournalEntry]
  ) async throws {
    let now = ports.clock.now
    let entry = StepJournalEntry(
      workflowID: plan.id, index: index, step: step, phase: phase, attempt: attempt, at: now,
      message: message,
      detail: detail)
    let events =
      kind.map {
        [
          Event(
            kind: $0, scope: .service(plan.plan.service), actor: plan.plan.actor, at: now, message: message,
            details: ["workflow": .string(plan.id), "step": .string(step.rawValue), "attempt": .int(attempt)])
        ]
      } ?? []
    do {
      try await ports.journal.append(entry, events: events)
    } catch {
      throw Interruption(reason: "the journal could not record step \(step.rawValue): \(error)")
    }
    entries.append(entry)
  }
}

/// A step failure worth retrying, with a sentence.
struct RetryableStepError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
