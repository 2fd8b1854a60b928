import FailoverCore
import Foundation

/// A composite or signal verdict with its reason.
public struct HealthRepresentation: Sendable, Hashable, Encodable {
  public var status: String
  public var reason: String
  @Nullable public var decidedBy: String?
  @Nullable public var since: Date?

  public init(_ health: Health) {
    status = health.status.rawValue
    reason = health.reason
    decidedBy = health.decidedBy?.description
    since = health.since
  }
}

/// One observation of a signal.
public struct ObservationRepresentation: Sendable, Hashable, Encodable {
  public var at: Date
  public var status: String
  @Nullable public var latencyMs: Double?
  public var reason: String

  public init(_ observation: Observation) {
    at = observation.at
    status = observation.status.rawValue
    latencyMs = observation.latency.map { ($0 * 1_000_000).rounded() / 1000 }
    reason = observation.reason
  }
}

/// One signal's verdict and latest observation.
public struct SignalRepresentation: Sendable, Hashable, Encodable {
  public var id: String
  public var kind: String
  public var scope: String
  public var verdict: String
  public var consecutiveFailures: Int
  public var consecutiveSuccesses: Int
  @Nullable public var lastObservation: ObservationRepresentation?

  public init(_ signal: SignalSnapshot) {
    id = signal.key.description
    kind =
      signal.key.name.hasPrefix("alarm ")
      ? "cloudwatch_alarm" : signal.key.name.hasPrefix("route53 ") ? "route53_health_check" : "http"
    scope = signal.key.service == nil ? "region" : "service"
    verdict = signal.verdict.status.rawValue
    consecutiveFailures = signal.consecutiveFailures
    consecutiveSuccesses = signal.consecutiveSuccesses
    lastObservation = signal.lastObservation.map(ObservationRepresentation.init)
  }
}
