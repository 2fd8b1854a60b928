import Foundation

/// How one runbook step of a workflow went, read from its journal: for metrics and summaries.
public struct RunbookStepSummary: Sendable, Hashable, Codable {
  /// The step (`runbook:<stage>:<name>`).
  public var step: String
  /// Its kind (`ecs_scale`, ...).
  public var kind: String
  /// `succeeded`, `failed`, `skipped`, `continued` (failed with `on_failure: continue`) or `unfinished`.
  public var outcome: String
  /// Attempts made.
  public var attempts: Int
  /// From its first start to its end, when it ended after starting.
  public var seconds: Double?

  public init(step: String, kind: String, outcome: String, attempts: Int, seconds: Double?) {
    self.step = step
    self.kind = kind
    self.outcome = outcome
    self.attempts = attempts
    self.seconds = seconds
  }

  /// The runbook steps of a plan, in order, as its journal tells them.
  public static func summaries(_ plan: WorkflowPlan, entries: [StepJournalEntry]) -> [RunbookStepSummary] {
    plan.steps.enumerated().compactMap { index, step in
      guard let reference = step.runbookReference else { return nil }
      let own = entries.filter { $0.workflowID == plan.id && $0.index == index }
      var outcome = "unfinished"
      for entry in own {
        switch (entry.phase, entry.detail.runbook) {
        case (.finished, .skipped): outcome = "skipped"
        case (.finished, .failedAndContinued): outcome = "continued"
        case (.finished, _): outcome = "succeeded"
        case (.failed, _): outcome = "failed"
        default: break
        }
      }
      let began = own.first { $0.phase == .started }?.at
      let ended = own.last { $0.phase == .finished || $0.phase == .failed }?.at
      return RunbookStepSummary(
        step: reference.rawValue, kind: plan.service.runbook?.step(reference)?.action.kind ?? "unknown",
        outcome: outcome, attempts: own.map(\.attempt).max() ?? 0,
        seconds: began.flatMap { start in ended.map { $0.timeIntervalSince(start) } })
    }
  }
}
