import FailoverCore
import Foundation

/// One runbook step of a workflow as the journal tells it (`RunbookStepSummary`): attempts, duration, outcome.
public struct RunbookStepRepresentation: Sendable, Hashable, Encodable {
  public var step, stage, name, kind, outcome: String
  public var attempts: Int
  @Nullable public var durationSeconds: Double?
  @Nullable public var detail: String?
  @Nullable public var approvalMessage: String?
  @Nullable public var approvalDeadline: Date?

  public init(_ summary: RunbookStepSummary) {
    (step, stage, name, kind, outcome) = (
      summary.step, summary.stage.rawValue, summary.name, summary.kind, summary.outcome
    )
    attempts = summary.attempts
    durationSeconds = summary.seconds
    detail = summary.detail
    approvalMessage = summary.approvalMessage
    approvalDeadline = summary.approvalDeadline
  }
}
