/// One workflow with its journal entries, in append order.
public struct WorkflowDetail: Sendable, Hashable {
  /// The workflow.
  public var record: WorkflowRecord
  /// Its steps as journaled.
  public var entries: [StepJournalEntry]

  /// A workflow with its journal entries.
  public init(record: WorkflowRecord, entries: [StepJournalEntry]) {
    self.record = record
    self.entries = entries
  }
}
