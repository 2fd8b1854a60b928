import Foundation

/// How one runbook step of a workflow went, read from its journal: for the API, the dashboard and metrics.
public struct RunbookStepSummary: Sendable, Hashable, Codable {
  /// The step (`runbook:<stage>:<name>`).
  public var step: String
  /// When it runs.
  public var stage: RunbookStage
  /// Its configured name.
  public var name: String
  /// Its kind (`ecs_scale`, ...).
  public var kind: String
  /// `pending` (not reached), `running`, `pending_approval`, `succeeded`, `failed`, `skipped` or `continued`
  /// (failed with `on_failure: continue`).
  public var outcome: String
  /// Attempts made.
  public var attempts: Int
  /// From its first journal entry to its last.
  public var seconds: Double?
  /// Its last journal sentence.
  public var detail: String?
  /// The question, while it waits for an approval.
  public var approvalMessage: String?
  /// When the approval's default outcome applies, while it waits.
  public var approvalDeadline: Date?

  /// The runbook steps of a plan, in order, as its journal tells them.
  public static func summaries(_ plan: WorkflowPlan, entries: [StepJournalEntry]) -> [RunbookStepSummary] {
    plan.steps.enumerated().compactMap { index, step in
      guard let reference = step.runbookReference else { return nil }
      let own = entries.filter { $0.workflowID == plan.id && $0.index == index }
      var summary = RunbookStepSummary(
        step: reference.rawValue, stage: reference.stage, name: reference.name,
        kind: plan.service.runbook?.step(reference)?.action.kind ?? "unknown",
        outcome: own.isEmpty ? "pending" : "running", attempts: own.map(\.attempt).max() ?? 0,
        seconds: own.last.flatMap { last in own.first.map { last.at.timeIntervalSince($0.at) } },
        detail: own.last?.message)
      for entry in own {
        switch (entry.phase, entry.detail.runbook) {
        case (.progress, .awaitingApproval(let message, let deadline)):
          summary.outcome = "pending_approval"
          summary.approvalMessage = message
          summary.approvalDeadline = deadline
        case (.progress, .approval): summary.outcome = "running"
        case (.finished, .skipped): summary.outcome = "skipped"
        case (.finished, .failedAndContinued): summary.outcome = "continued"
        case (.finished, _): summary.outcome = "succeeded"
        case (.failed, _): summary.outcome = "failed"
        default: break
        }
      }
      return summary
    }
  }
}
