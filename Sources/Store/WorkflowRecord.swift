import FailoverCore
import Foundation

/// Where a journaled workflow stands.
public enum WorkflowState: String, Sendable, Hashable, Codable {
  /// Begun and not finished: in flight, or interrupted and waiting to be resumed.
  case running
  /// Finished with `.succeeded`.
  case succeeded
  /// Finished with `.failed`.
  case failed
}

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

  /// The workflow's id.
  public var id: String { plan.id }
}

/// One workflow with its journal entries, in append order.
public struct WorkflowDetail: Sendable, Hashable {
  /// The workflow.
  public var record: WorkflowRecord
  /// Its steps as journaled.
  public var entries: [StepJournalEntry]
}

/// One page of workflows, newest first, and the cursor of the next page (nil when this is the last).
public struct WorkflowPage: Sendable, Hashable {
  /// The workflows, newest first.
  public var workflows: [WorkflowRecord]
  /// Pass as `before` to get the next page; nil when there is none.
  public var nextCursor: Int64?
}
