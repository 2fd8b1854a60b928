import FailoverCore
import Foundation

/// A workflow the engine tracks (in flight or the last one), without its journal.
public struct WorkflowSummaryRepresentation: Sendable, Hashable, Encodable {
  public var id: String
  /// `running`, `succeeded`, `failed` or `interrupted`.
  public var state: String
  @Nullable public var reason: String?
  public var startedAt: Date
  @Nullable public var finishedAt: Date?
  public var plan: PlanRepresentation
  /// Seconds from the first unhealthy observation (or the decision) to each measured instant.
  public var timings: [String: Double]

  public init(_ status: WorkflowStatus, order: [RegionID]) {
    id = status.id
    switch status.state {
    case .running: state = "running"
    case .succeeded: state = "succeeded"
    case .failed(let why):
      state = "failed"
      reason = why
    case .interrupted(let why):
      state = "interrupted"
      reason = why
    }
    startedAt = status.startedAt
    finishedAt = status.finishedAt
    plan = PlanRepresentation(status.plan, order: order)
    timings = status.timings
  }
}

/// One journal entry of a workflow.
public struct WorkflowStepRepresentation: Sendable, Hashable, Encodable {
  public var step: String
  public var phase: String
  @Nullable public var attempt: Int?
  public var at: Date
  @Nullable public var detail: String?

  public init(_ entry: StepJournalEntry) {
    step = entry.step.rawValue
    phase = entry.phase.rawValue
    attempt = entry.attempt
    at = entry.at
    detail = entry.message.isEmpty ? nil : entry.message
  }
}

/// A workflow from the store, with its steps and measured times.
public struct WorkflowRepresentation: Sendable, Hashable, Encodable {
  public var id: String
  public var service: String
  public var state: String
  @Nullable public var reason: String?
  public var startedAt: Date
  @Nullable public var finishedAt: Date?
  public var plan: PlanRepresentation
  public var steps: [WorkflowStepRepresentation]
  public var timings: [String: Double]
  /// The runbook steps with their attempts, durations and outcomes.
  public var runbook: [RunbookStepRepresentation]

  public init(_ record: WorkflowRecord, entries: [StepJournalEntry]) {
    let order = record.plan.service.regionIDs
    id = record.id
    service = record.plan.plan.service.rawValue
    state = record.state.rawValue
    if case .failed(let step, let why) = record.outcome { reason = "\(step.rawValue): \(why)" }
    startedAt = record.createdAt
    finishedAt = record.finishedAt
    plan = PlanRepresentation(record.plan.plan, order: order)
    steps = entries.map(WorkflowStepRepresentation.init)
    timings = (record.timings ?? WorkflowTimings(plan: record.plan, entries: entries)).secondsSinceStart
    runbook = RunbookStepSummary.summaries(record.plan, entries: entries).map(RunbookStepRepresentation.init)
    if PendingApproval(WorkflowDetail(record: record, entries: entries)) != nil { state = "pending_approval" }
  }
}
