import Foundation

/// A message to on-call humans about a failover (SNS, webhook).
public struct FailoverNotification: Sendable, Hashable, Codable {
  /// The seed's four notification moments.
  public enum Kind: String, Sendable, Hashable, Codable {
    case initiated, blocked, succeeded, failed
  }
  public var kind: Kind
  public var service: String
  public var fromRegion: String?
  public var toRegion: String?
  public var reason: String
  /// Measured times of the workflow so far, in seconds since the first unhealthy observation.
  public var timings: [String: Double]
  public var at: Date
  public init(
    kind: Kind, service: String, fromRegion: String?, toRegion: String?, reason: String,
    timings: [String: Double] = [:], at: Date
  ) {
    self.kind = kind
    self.service = service
    self.fromRegion = fromRegion
    self.toRegion = toRegion
    self.reason = reason
    self.timings = timings
    self.at = at
  }

  /// A one-line subject for email-like channels.
  public var subject: String {
    switch kind {
    case .initiated: "Failover initiated for \(service): \(fromRegion ?? "?") → \(toRegion ?? "?")"
    case .blocked: "Failover blocked for \(service)"
    case .succeeded: "Failover succeeded for \(service): now in \(toRegion ?? "?")"
    case .failed: "Failover failed for \(service)"
    }
  }
}

/// Delivers notifications; failures are reported to the caller, who records and retries them.
public protocol Notifier: Sendable {
  func notify(_ notification: FailoverNotification) async throws
}
