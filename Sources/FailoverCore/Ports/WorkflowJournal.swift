import Foundation

/// Durable record of workflows, step by step, with their audit events (implemented by the store).
///
/// Every write carries the events it produces, and the store commits both in one transaction: a crash never
/// loses or duplicates an event relative to the journal.
public protocol WorkflowJournal: Sendable {
  /// Records a new workflow; writing the same id again is a no-op (events are not appended twice).
  func begin(_ workflow: WorkflowPlan, events: [Event]) async throws
  /// Appends one step entry.
  func append(_ entry: StepJournalEntry, events: [Event]) async throws
  /// Closes a workflow. On success the store records the transition and the service's new routing state.
  func finish(_ workflowID: String, outcome: WorkflowOutcome, timings: WorkflowTimings, events: [Event])
    async throws
  /// Workflows begun and not finished, oldest first: what to resume after a restart.
  func unfinishedWorkflows() async throws -> [WorkflowPlan]
  /// The entries of one workflow, in the order they were appended.
  func entries(workflowID: String) async throws -> [StepJournalEntry]
}
