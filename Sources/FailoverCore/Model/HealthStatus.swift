import Foundation

/// The four health verdicts, from best to worst for routing purposes.
public enum HealthStatus: String, Sendable, Hashable, Codable, CaseIterable {
  case healthy, degraded, unhealthy, unknown

  /// Whether traffic may be sent to a target in this state (healthy or degraded).
  public var canReceiveTraffic: Bool { self == .healthy || self == .degraded }
}

/// The health of a service in a region (or of one signal), with what decided it.
public struct Health: Sendable, Hashable, Codable {
  /// The verdict.
  public var status: HealthStatus
  /// The signal whose verdict decided the status, if one did.
  public var decidedBy: SignalKey?
  /// The reason, in words.
  public var reason: String
  /// Since when the status has been what it is, when known; for `unhealthy`, the first failing observation of
  /// the streak that led to it (the workflow's "first unhealthy observation").
  public var since: Date?
  public init(status: HealthStatus, decidedBy: SignalKey? = nil, reason: String, since: Date? = nil) {
    self.status = status
    self.decidedBy = decidedBy
    self.reason = reason
    self.since = since
  }
  /// No verdict yet.
  public static func unknown(_ reason: String) -> Health { Health(status: .unknown, reason: reason) }
}
