import Foundation

/// Turns a stream of decisions into events: every initiation and error, but one event per episode of identical
/// blocked decisions (an episode ends when the decision changes or nothing needs doing).
public struct EpisodeTracker: Sendable {
  private var current: [ServiceID: String] = [:]
  public init() {}

  /// The event to record for this decision, or nil when it continues an episode already recorded.
  public mutating func admit(_ decision: Decision) -> Event? {
    let signature: String?
    switch decision.outcome {
    case .noAction:
      current[decision.service] = nil
      return nil
    case .initiate:
      signature = nil
    case .blocked(let blocker, let wanted):
      signature = "blocked|\(blocker.key)|\(wanted?.to.summary ?? "-")"
    case .healthCheckError(let reason):
      signature = "error|\(reason)"
    case .rejected:
      return decision.event
    }
    if let signature, current[decision.service] == signature { return nil }
    current[decision.service] = signature
    return decision.event
  }
}
