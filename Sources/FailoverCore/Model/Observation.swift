import Foundation

/// One sample of one signal: what it saw, how long it took, and why, in words.
public struct Observation: Sendable, Hashable, Codable {
  /// The signal observed.
  public var signal: SignalKey
  /// The sample's own verdict: healthy, degraded (slow but working), unhealthy, or unknown (no information).
  public var status: HealthStatus
  /// Response time in seconds, when there was one.
  public var latency: Double?
  /// What was seen, in words.
  public var reason: String
  /// When the sample was taken.
  public var at: Date
  /// An `unknown` sample that should leave the signal's verdict as it was (insufficient data meaning "last known").
  public var keepsLastVerdict: Bool
  public init(
    signal: SignalKey, status: HealthStatus, latency: Double? = nil, reason: String, at: Date,
    keepsLastVerdict: Bool = false
  ) {
    self.signal = signal
    self.status = status
    self.latency = latency
    self.reason = reason
    self.at = at
    self.keepsLastVerdict = keepsLastVerdict
  }
}
