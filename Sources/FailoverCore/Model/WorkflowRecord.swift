import Foundation

/// A workflow as the journal holds it, without its steps (see `WorkflowDetail`).
public struct WorkflowRecord: Sendable, Hashable {
  /// Position in begin order: the cursor for pagination.
  public var seq: Int64
  /// The plan as begun.
  public var plan: WorkflowPlan
  /// Running, succeeded or failed.
  public var state: WorkflowState
  /// How it ended, once it has.
  public var outcome: WorkflowOutcome?
  /// The measured instants, once it has ended.
  public var timings: WorkflowTimings?
  /// When it was decided (the plan's `decidedAt`).
  public var createdAt: Date
  /// When it ended (its timings' `finishedAt`, else its last closing event).
  public var finishedAt: Date?

  /// A workflow as journaled (`seq` is its place in begin order).
  public init(
    seq: Int64, plan: WorkflowPlan, state: WorkflowState, outcome: WorkflowOutcome?,
    timings: WorkflowTimings?,
    createdAt: Date, finishedAt: Date?
  ) {
    self.seq = seq
    self.plan = plan
    self.state = state
    self.outcome = outcome
    self.timings = timings
    self.createdAt = createdAt
    self.finishedAt = finishedAt
  }

  /// The workflow's id.
  public var id: String { plan.id }
}
