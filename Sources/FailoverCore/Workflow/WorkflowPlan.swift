import Foundation

/// A decision to move traffic, turned into the ordered steps that carry it out. This is what the journal stores.
public struct WorkflowPlan: Sendable, Hashable, Codable, Identifiable {
  /// Unique id; the caller chooses it (e.g. a UUID) so `begin` is idempotent.
  public var id: String
  /// The move decided.
  public var plan: FailoverPlan
  /// The service as configured when the workflow began (record name, zone, targets).
  public var service: Service
  /// The steps, in order.
  public var steps: [WorkflowStep]
  /// When the decision was taken.
  public var decidedAt: Date
  /// The decision's explanation, kept with the workflow.
  public var explanation: String
  /// How the runbook runs (a drill skips `in_drills: skip` steps); nil: a real failover.
  public var runbookOptions: RunbookRunOptions?

  public init(
    id: String, plan: FailoverPlan, service: Service, steps: [WorkflowStep], decidedAt: Date,
    explanation: String, runbookOptions: RunbookRunOptions? = nil
  ) {
    self.id = id
    self.plan = plan
    self.service = service
    self.steps = steps
    self.decidedAt = decidedAt
    self.explanation = explanation
    self.runbookOptions = runbookOptions
  }

  /// The workflow for a decision to move traffic, runbook steps included; nil when the decision is not
  /// `initiate`. `runbookOptions` marks a drill (the drill runner passes `RunbookRunOptions(drill: true)`).
  public init?(
    id: String, decision: Decision, service: Service, runbookOptions: RunbookRunOptions? = nil
  ) {
    guard let plan = decision.plan else { return nil }
    self.init(
      id: id, plan: plan, service: service, steps: WorkflowStep.steps(for: plan, service: service),
      decidedAt: decision.at, explanation: decision.explanation, runbookOptions: runbookOptions)
  }
}

/// Where a step stands in the journal.
public enum StepPhase: String, Sendable, Hashable, Codable {
  case started, retrying, finished, failed
  /// A checkpoint inside an attempt: what a runbook step recorded before acting (an ECS count), an approval
  /// waiting, an operator's decision.
  case progress
}

/// One journal line: a step started, retried, finished or failed, with what it learned (e.g. the change id).
public struct StepJournalEntry: Sendable, Hashable, Codable {
  /// The workflow concerned.
  public var workflowID: String
  /// The step's position in the plan.
  public var index: Int
  /// The step concerned.
  public var step: WorkflowStep
  /// Started, retrying, finished or failed.
  public var phase: StepPhase
  /// 1 for the first attempt.
  public var attempt: Int
  /// When it was journaled.
  public var at: Date
  /// What happened, in words.
  public var message: String
  /// What the step learned, typed by its kind (e.g. the DNS change's id), for later steps and for resuming.
  public var detail: StepOutcome

  public init(
    workflowID: String, index: Int, step: WorkflowStep, phase: StepPhase, attempt: Int, at: Date,
    message: String,
    detail: StepOutcome = .none
  ) {
    self.workflowID = workflowID
    self.index = index
    self.step = step
    self.phase = phase
    self.attempt = attempt
    self.at = at
    self.message = message
    self.detail = detail
  }
}

/// How a workflow ended.
public enum WorkflowOutcome: Sendable, Hashable, Codable {
  case succeeded
  /// A step exhausted its retries or hit a permanent error; the service stays where it was.
  case failed(step: WorkflowStep, reason: String)
}

/// The measured instants of a workflow.
public struct WorkflowTimings: Sendable, Hashable, Codable {
  /// The first failing observation of the streak that led to the move.
  public var firstUnhealthyAt: Date?
  /// When the decision was taken.
  public var decidedAt: Date
  /// When Route53 accepted the change (or the routing endpoint switched).
  public var dnsChangeAcceptedAt: Date?
  /// When the change was INSYNC.
  public var inSyncAt: Date?
  /// When the record was read back at the target.
  public var verifiedAt: Date?
  /// When the workflow ended.
  public var finishedAt: Date?

  public init(
    firstUnhealthyAt: Date? = nil, decidedAt: Date, dnsChangeAcceptedAt: Date? = nil, inSyncAt: Date? = nil,
    verifiedAt: Date? = nil, finishedAt: Date? = nil
  ) {
    self.firstUnhealthyAt = firstUnhealthyAt
    self.decidedAt = decidedAt
    self.dnsChangeAcceptedAt = dnsChangeAcceptedAt
    self.inSyncAt = inSyncAt
    self.verifiedAt = verifiedAt
    self.finishedAt = finishedAt
  }

  /// The timings as the journal implies them: each is the instant its step finished.
  public init(plan: WorkflowPlan, entries: [StepJournalEntry]) {
    self.init(firstUnhealthyAt: plan.plan.firstUnhealthyAt, decidedAt: plan.decidedAt)
    for entry in entries where entry.workflowID == plan.id && entry.phase == .finished {
      switch entry.step {
      case .changeDNS, .updateRoutingEndpoint: dnsChangeAcceptedAt = entry.at
      case .waitForSync: inSyncAt = entry.at
      case .verifyRecord: verifiedAt = entry.at
      default: break
      }
    }
    if plan.service.routingMode == .failoverHealthCheck {
      inSyncAt = dnsChangeAcceptedAt
      verifiedAt = dnsChangeAcceptedAt
    }
  }

  /// Seconds from the first unhealthy observation (or the decision) to each measured instant.
  public var secondsSinceStart: [String: Double] {
    let start = firstUnhealthyAt ?? decidedAt
    var result: [String: Double] = ["decided": decidedAt.timeIntervalSince(start)]
    if let value = dnsChangeAcceptedAt { result["dns_change_accepted"] = value.timeIntervalSince(start) }
    if let value = inSyncAt { result["in_sync"] = value.timeIntervalSince(start) }
    if let value = verifiedAt { result["verified"] = value.timeIntervalSince(start) }
    if let value = finishedAt { result["finished"] = value.timeIntervalSince(start) }
    return result
  }
}

/// What running or resuming a workflow produced.
public struct WorkflowResult: Sendable, Hashable {
  /// The workflow concerned.
  public var workflowID: String
  /// nil when the workflow was interrupted (the journal could not be written) and must be resumed later.
  public var outcome: WorkflowOutcome?
  /// The measured instants.
  public var timings: WorkflowTimings
  /// Why the run stopped without an outcome, when it did.
  public var interruption: String?
  /// How each runbook step went (empty without a runbook).
  public var runbook: [RunbookStepSummary] = []
}
