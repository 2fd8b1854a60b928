import Foundation

/// Executes workflow plans against the ports: journals each step before and after it runs, retries with
/// exponential backoff and full jitter, and resumes from the journal after a crash without repeating finished
/// steps. Notifications and metrics never fail a workflow.
///
/// The parts, each in its own file: this loop; the steps' actions (`WorkflowRunner+StepActions.swift`, the
/// DNS ones in `WorkflowRunner+DNSStepActions.swift`); the journal writes (`WorkflowRunner+Journal.swift`);
/// the ends of a workflow (`WorkflowRunner+Endings.swift`) and the revert after a failure
/// (`WorkflowRunner+Revert.swift`). What steps learned is typed: `StepOutcome`, gathered in `WorkflowFacts`.
public struct WorkflowRunner: Sendable {
  /// The outside world the runner talks to.
  public struct Ports: Sendable {
    /// Route53 in production.
    public var dns: any DNSProvider
    /// CloudWatch in production; nil when nothing is configured to receive metrics (the step says so).
    public var metrics: (any MetricsProvider)?
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
    /// ECS in production: `ecs_scale` runbook steps.
    public var capacity: (any CapacityProvider)? = nil
    /// RDS in production: `database_promote` runbook steps.
    public var databases: (any DatabasePromoter)? = nil
    /// Calls `http_hook` runbook steps.
    public var hooks: (any HookCaller)? = nil
    /// Earlier workflows of the service: where a failback finds the ECS count to restore.
    public var history: (any WorkflowQueries)? = nil
    /// In a cluster, confirmed before every step's call to the outside world; nil (one node) always leads.
    public var leadership: (any Leadership)? = nil
    public init(
      dns: any DNSProvider, metrics: (any MetricsProvider)?, notifier: any Notifier,
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

  /// The journal cannot be written or the task was cancelled: the run stops and resumes later.
  struct Interruption: Error { var reason: String }

  /// How a step's attempts ended.
  enum StepEnd {
    case done(StepOutcome)
    case failed(String)
  }

  private func execute(_ plan: WorkflowPlan, journaled: [StepJournalEntry]) async -> WorkflowResult {
    var entries = journaled.filter { $0.workflowID == plan.id }
    var facts = WorkflowFacts(journal: entries)
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
        case .done(let outcome): facts.learn(outcome)
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

  /// Runs one step until it finishes, fails for good, or (best effort) gives up, journaling every attempt.
  func run(
    _ step: WorkflowStep, index: Int, plan: WorkflowPlan, facts: WorkflowFacts, priorAttempts: Int,
    entries: inout [StepJournalEntry]
  ) async throws -> StepEnd {
    let runbookStep = step.runbookReference.flatMap { plan.service.runbook?.step($0) }
    if let runbookStep,
      let reason = (plan.runbookOptions ?? RunbookRunOptions()).skipReason(
        runbookStep, plan: plan.plan, service: plan.service)
    {
      try await journal(
        plan, index, step, .finished, priorAttempts, reason, .runbook(.skipped(reason: reason)),
        kind: .workflowStepSkipped, entries: &entries)
      return .done(.runbook(.skipped(reason: reason)))
    }
    let retry =
      runbookStep?.retry
      ?? (step == .notifyInitiated || step == .notifySucceeded ? policy.notificationRetry : policy.stepRetry)
    let backoff = Backoff(policy: retry, jitter: ports.jitter)
    let maxAttempts = max(1, retry.maxAttempts)
    var attempt = priorAttempts
    for tryNumber in 1...maxAttempts {
      attempt += 1
      let resumed = tryNumber == 1 && priorAttempts > 0 ? " (resumed after a restart)" : ""
      try await journal(
        plan, index, step, .started, attempt, "Step \(step.rawValue) started, attempt \(attempt)\(resumed).",
        .none, kind: .workflowStepStarted, entries: &entries)
      do {
        try await confirmLeadership()
        let timings = WorkflowTimings(plan: plan, entries: entries)
        let (message, outcome) =
          if let runbookStep, let reference = step.runbookReference {
            try await performRunbook(
              runbookStep, reference, index: index, attempt: attempt, plan: plan, entries: &entries)
          } else {
            try await perform(step, plan: plan, facts: facts, timings: timings)
          }
        try await journal(
          plan, index, step, .finished, attempt, message, outcome, kind: .workflowStepFinished,
          entries: &entries)
        return .done(outcome)
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
            .retryScheduled(delaySeconds: delay), kind: .workflowStepRetried, entries: &entries)
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
            .bestEffortGaveUp, kind: kind, entries: &entries)
          return .done(.bestEffortGaveUp)
        }
        let sentence = "Step \(step.rawValue) failed after \(tryNumber) attempt(s): \(reason)"
        if let runbookStep, runbookStep.onFailure == .continue {
          try await journal(
            plan, index, step, .finished, attempt,
            "\(sentence); on_failure is continue, the workflow goes on.",
            .runbook(.failedAndContinued(reason: reason)), kind: .workflowStepFailed, entries: &entries)
          return .done(.runbook(.failedAndContinued(reason: reason)))
        }
        try await journal(
          plan, index, step, .failed, attempt, sentence, .none,
          kind: runbookStep == nil ? nil : .workflowStepFailed,
          entries: &entries)
        return .failed(sentence)
      }
    }
    return .failed("Step \(step.rawValue) made no attempt.")
  }
}
