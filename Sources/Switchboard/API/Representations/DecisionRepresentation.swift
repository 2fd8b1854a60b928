import FailoverCore
import Foundation

/// A decision: its outcome, what it would move, what blocked it, and the explanation.
public struct DecisionRepresentation: Sendable, Hashable, Encodable {
  public var at: Date
  /// `no_action`, `initiate`, `blocked`, `health_check_error` or `rejected`.
  public var outcome: String
  @Nullable public var reason: String?
  @Nullable public var blockedBy: String?
  @Nullable public var plan: PlanRepresentation?
  public var explanation: String

  public init(_ decision: Decision, order: [RegionID]) {
    at = decision.at
    explanation = decision.explanation
    switch decision.outcome {
    case .noAction(let why):
      outcome = "no_action"
      reason = why.rawValue
    case .initiate(let plan):
      outcome = "initiate"
      self.plan = PlanRepresentation(plan, order: order)
    case .blocked(let blocker, let wanted):
      outcome = "blocked"
      blockedBy = blocker.key
      plan = wanted.map { PlanRepresentation($0, order: order) }
    case .healthCheckError(let message):
      outcome = "health_check_error"
      reason = message
    case .rejected(let message):
      outcome = "rejected"
      reason = message
    }
  }
}
