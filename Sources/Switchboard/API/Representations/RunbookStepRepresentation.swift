import FailoverCore
import Foundation

/// One runbook step of a workflow as the journal tells it: attempts, duration, outcome.
public struct RunbookStepRepresentation: Sendable, Hashable, Encodable {
  public var step: String
  public var stage: String
  public var name: String
  public var kind: String
  /// `pending`, `running`, `pending_approval`, `succeeded`, `failed`, `skipped` or `continued` (failed with
  /// `on_failure: continue`).
  public var outcome: String
  public var attempts: Int
  @Nullable public var durationSeconds: Double?
  @Nullable public var detail: String?
  @Nullable public var approvalMessage: String?
  @Nullable public var approvalDeadline: Date?

  /// The runbook steps of a plan, in plan order, with what the journal says of each.
  public static func all(_ plan: WorkflowPlan, entries: [StepJournalEntry]) -> [RunbookStepRepresentation] {
    plan.steps.enumerated().compactMap { index, step in
      guard let reference = step.runbookReference else { return nil }
      let own = entries.filter { $0.index == index }
      let kind = plan.service.runbook?.step(reference)?.action.kind ?? "unknown"
      return RunbookStepRepresentation(reference, kind: kind, entries: own)
    }
  }

  init(_ reference: RunbookStepReference, kind: String, entries: [StepJournalEntry]) {
    step = reference.rawValue
    stage = reference.stage.rawValue
    name = reference.name
    self.kind = kind
    attempts = entries.map(\.attempt).max() ?? 0
    outcome = entries.isEmpty ? "pending" : "running"
    if let first = entries.first?.at, let last = entries.last?.at {
      durationSeconds = last.timeIntervalSince(first)
    }
    detail = entries.last?.message
    for entry in entries {
      switch (entry.phase, entry.detail.runbook) {
      case (.progress, .awaitingApproval(let message, let deadline)):
        outcome = "pending_approval"
        approvalMessage = message
        approvalDeadline = deadline
      case (.progress, .approval): outcome = "running"
      case (.finished, .skipped): outcome = "skipped"
      case (.finished, .failedAndContinued): outcome = "continued"
      case (.finished, _): outcome = "succeeded"
      case (.failed, _): outcome = "failed"
      default: break
      }
    }
  }
}
