import Foundation

/// A move of a service's traffic that the decider wants, before it becomes a workflow.
public struct FailoverPlan: Sendable, Hashable, Codable {
  /// The service concerned.
  public var service: ServiceID
  /// Where traffic goes before the move.
  public var from: RoutingState
  /// Where traffic goes after the move.
  public var to: RoutingState
  /// Why traffic moves.
  public var trigger: TransitionTrigger
  /// Who asked: `switchboard` for automatic moves, the operator or override author otherwise.
  public var actor: String
  /// Why, in one sentence.
  public var reason: String
  /// The first unhealthy observation that led here, when health led here.
  public var firstUnhealthyAt: Date?
  /// The override that caused the move, if one did.
  public var overrideID: String?
  /// Whether a person allowed an unhealthy or unknown target (force with allow_unhealthy_target, break-glass).
  public var allowsUnhealthyTarget: Bool
  public init(
    service: ServiceID, from: RoutingState, to: RoutingState, trigger: TransitionTrigger,
    actor: String = Event.automaticActor, reason: String, firstUnhealthyAt: Date? = nil,
    overrideID: String? = nil, allowsUnhealthyTarget: Bool = false
  ) {
    self.allowsUnhealthyTarget = allowsUnhealthyTarget
    self.service = service
    self.from = from
    self.to = to
    self.trigger = trigger
    self.actor = actor
    self.reason = reason
    self.firstUnhealthyAt = firstUnhealthyAt
    self.overrideID = overrideID
  }

  /// The region traffic leaves, when one region had it all.
  public var fromRegion: RegionID? { from.activeRegion }
  /// The region traffic goes to, when one region gets it all.
  public var toRegion: RegionID? { to.activeRegion }
}

/// What stopped a move the decider would otherwise have made.
public enum Blocker: Sendable, Hashable, Codable, CustomStringConvertible {
  case rule(SafetyRule)
  case override(Override)

  public var description: String {
    switch self {
    case .rule(let rule): "safety rule \(rule.rawValue)"
    case .override(let override): override.summary
    }
  }

  /// A stable identity for episode tracking.
  public var key: String {
    switch self {
    case .rule(let rule): "rule:\(rule.rawValue)"
    case .override(let override): "override:\(override.id)"
    }
  }
}

/// Why nothing needs doing.
public enum NoActionReason: String, Sendable, Hashable, Codable {
  /// Traffic is where it should be and its targets are fine.
  case healthy
  /// The region receiving traffic has no verdict yet.
  case activeRegionUnknown
  /// A force or drain is already in effect.
  case alreadyInPlace
  /// The primary is healthy again but not yet for the failback hold time.
  case waitingForFailbackHold
  /// Traffic is away from the primary, which is not healthy yet.
  case primaryNotHealthy
}

/// The decider's answer for one service at one instant, with a one-paragraph explanation.
public struct Decision: Sendable, Hashable, Codable {
  /// The seed workflow's branches.
  public enum Outcome: Sendable, Hashable, Codable {
    case noAction(NoActionReason)
    case initiate(FailoverPlan)
    /// A move was wanted (`wanted`, when known) but something refused it.
    case blocked(by: Blocker, wanted: FailoverPlan?)
    /// Health could not be established, so no decision was taken.
    case healthCheckError(String)
    /// A manual request that cannot be carried out as asked (e.g. an unknown region).
    case rejected(String)
  }

  /// The service concerned.
  public var service: ServiceID
  /// When the decision was taken.
  public var at: Date
  /// The branch taken: initiate, block, no action, or health-check error.
  public var outcome: Outcome
  /// Which signal, which rule, and what would change the outcome.
  public var explanation: String

  public init(service: ServiceID, at: Date, outcome: Outcome, explanation: String) {
    self.service = service
    self.at = at
    self.outcome = outcome
    self.explanation = explanation
  }

  /// The plan when the decision is to move traffic.
  public var plan: FailoverPlan? {
    if case .initiate(let plan) = outcome { return plan }
    return nil
  }

  /// The blocker when the decision is a refusal.
  public var blocker: Blocker? {
    if case .blocked(let blocker, _) = outcome { return blocker }
    return nil
  }

  /// Whether this is the "nothing to do" branch.
  public var isNoAction: Bool {
    if case .noAction = outcome { return true }
    return false
  }

  /// The "failover blocked" notification for a blocked decision (send it once per episode, when
  /// `EpisodeTracker.admit` returns an event); nil for other outcomes, whose notifications the workflow sends.
  public var blockedNotification: FailoverNotification? {
    guard case .blocked(_, let wanted) = outcome else { return nil }
    return FailoverNotification(
      kind: .blocked, service: service.rawValue, fromRegion: wanted?.from.activeRegion?.rawValue,
      toRegion: wanted?.to.activeRegion?.rawValue, reason: explanation, at: at)
  }

  /// The audit event for a decision that is not "nothing to do".
  public var event: Event? {
    var details: [String: JSONValue] = [
      "service": .string(service.rawValue), "explanation": .string(explanation),
    ]
    switch outcome {
    case .noAction:
      return nil
    case .initiate(let plan):
      details["trigger"] = .string(plan.trigger.rawValue)
      details["from"] = .string(plan.from.summary)
      details["to"] = .string(plan.to.summary)
      if let id = plan.overrideID { details["override"] = .string(id) }
      return Event(
        kind: .decisionInitiated, scope: .service(service), actor: plan.actor, at: at,
        message: "Failover initiated for \(service): \(plan.reason)", details: details)
    case .blocked(let blocker, let wanted):
      details["blocker"] = .string(blocker.key)
      if let wanted { details["wanted"] = .string(wanted.to.summary) }
      return Event(
        kind: .decisionBlocked, scope: .service(service), at: at,
        message: "Failover blocked for \(service) by \(blocker).", details: details)
    case .healthCheckError(let reason):
      return Event(
        kind: .healthCheckError, scope: .service(service), at: at,
        message: "Health check failed for \(service): \(reason)", details: details)
    case .rejected(let reason):
      return Event(
        kind: .decisionBlocked, scope: .service(service), at: at,
        message: "Request for \(service) rejected: \(reason)", details: details)
    }
  }
}
