import Foundation

/// Turns one signal's observations into a verdict with Route53's hysteresis: consecutive failures reaching the
/// failure threshold make it unhealthy, consecutive successes reaching the success threshold make it healthy again,
/// a success over the latency budget makes it degraded, and it is unknown until the first verdict.
public struct SignalTracker: Sendable, Hashable, Codable {
  /// The signal tracked.
  public let key: SignalKey
  /// Consecutive failures that make the signal unhealthy.
  public let failureThreshold: Int
  /// Consecutive successes that make the signal healthy again.
  public let successThreshold: Int
  /// Failures in a row so far.
  public private(set) var consecutiveFailures = 0
  /// Successes in a row so far.
  public private(set) var consecutiveSuccesses = 0
  /// The current verdict.
  public private(set) var health: Health
  /// The first failing observation of the current failure streak.
  public private(set) var failureStreakStartedAt: Date?
  /// The most recent observation, if any.
  public private(set) var lastObservation: Observation?

  public init(key: SignalKey, failureThreshold: Int, successThreshold: Int) {
    self.key = key
    self.failureThreshold = max(1, failureThreshold)
    self.successThreshold = max(1, successThreshold)
    self.health = Health(status: .unknown, decidedBy: key, reason: "\(key.name) has not reported yet.")
  }

  /// A tracker for a configured signal.
  public init(key: SignalKey, spec: SignalSpec) {
    self.init(key: key, failureThreshold: spec.failureThreshold, successThreshold: spec.successThreshold)
  }

  /// Records one observation and returns the verdict after it.
  @discardableResult
  public mutating func record(_ observation: Observation) -> Health {
    lastObservation = observation
    switch observation.status {
    case .unknown:
      if observation.keepsLastVerdict {
        if health.status == .unknown { health.reason = observation.reason }
        return health
      }
      consecutiveFailures = 0
      consecutiveSuccesses = 0
      failureStreakStartedAt = nil
      set(.unknown, observation, observation.reason)
    case .unhealthy:
      if consecutiveFailures == 0 { failureStreakStartedAt = observation.at }
      consecutiveFailures += 1
      consecutiveSuccesses = 0
      if consecutiveFailures >= failureThreshold {
        set(
          .unhealthy, observation,
          "\(observation.reason) (\(consecutiveFailures) consecutive failures, threshold \(failureThreshold))"
        )
      }
    case .healthy, .degraded:
      consecutiveSuccesses += 1
      consecutiveFailures = 0
      failureStreakStartedAt = nil
      switch health.status {
      case .healthy, .degraded:
        set(observation.status, observation, observation.reason)
      case .unhealthy, .unknown:
        if consecutiveSuccesses >= successThreshold {
          set(
            observation.status, observation,
            "\(observation.reason) (\(consecutiveSuccesses) consecutive successes, threshold \(successThreshold))"
          )
        }
      }
    }
    return health
  }

  private mutating func set(_ status: HealthStatus, _ observation: Observation, _ reason: String) {
    var since = status == health.status ? (health.since ?? observation.at) : observation.at
    if status == .unhealthy, health.status != .unhealthy, let start = failureStreakStartedAt { since = start }
    health = Health(status: status, decidedBy: key, reason: reason, since: since)
  }
}
