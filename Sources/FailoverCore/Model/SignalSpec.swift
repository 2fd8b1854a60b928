import Foundation

/// An HTTP(S) probe with Route53's semantics.
public struct HTTPProbeSpec: Sendable, Hashable, Codable {
  /// The http:// or https:// URL probed.
  public var url: String
  /// Seconds between probes (1–300).
  public var interval: Double
  /// Seconds allowed to connect (Route53: 4).
  public var connectTimeout: Double
  /// Seconds allowed for the response after connecting (Route53: 2).
  public var responseTimeout: Double
  /// Consecutive failures that make a healthy target unhealthy (1–10).
  public var failureThreshold: Int
  /// Consecutive successes that make an unhealthy target healthy again (1–10).
  public var successThreshold: Int
  /// Statuses that count as success; empty means any 2xx or 3xx.
  public var expectedStatuses: [Int]
  /// A string that must appear in the first 5,120 bytes of the body.
  public var bodyMatch: String?
  /// Responses slower than this (seconds) mark the target degraded.
  public var latencyBudget: Double?

  public init(
    url: String, interval: Double = 30, connectTimeout: Double = 4, responseTimeout: Double = 2,
    failureThreshold: Int = 3, successThreshold: Int = 3, expectedStatuses: [Int] = [],
    bodyMatch: String? = nil,
    latencyBudget: Double? = nil
  ) {
    self.url = url
    self.interval = interval
    self.connectTimeout = connectTimeout
    self.responseTimeout = responseTimeout
    self.failureThreshold = failureThreshold
    self.successThreshold = successThreshold
    self.expectedStatuses = expectedStatuses
    self.bodyMatch = bodyMatch
    self.latencyBudget = latencyBudget
  }

  /// Whether an HTTP status counts as success for this probe.
  public func accepts(status: Int) -> Bool {
    expectedStatuses.isEmpty ? (200...399).contains(status) : expectedStatuses.contains(status)
  }
}

/// What an alarm's INSUFFICIENT_DATA state means for health.
public enum InsufficientDataMeaning: String, Sendable, Hashable, Codable, CaseIterable {
  case healthy, unhealthy, unknown
  /// Keep the verdict the signal had before (Route53's LastKnownStatus).
  case lastKnown = "last-known"
}

/// A CloudWatch alarm used as a signal: ALARM is unhealthy, OK is healthy.
public struct AlarmSignalSpec: Sendable, Hashable, Codable {
  /// The CloudWatch alarm's name.
  public var alarmName: String
  /// How INSUFFICIENT_DATA counts.
  public var insufficientDataMeans: InsufficientDataMeaning
  public init(alarmName: String, insufficientDataMeans: InsufficientDataMeaning = .lastKnown) {
    self.alarmName = alarmName
    self.insufficientDataMeans = insufficientDataMeans
  }
}

/// One source of observations about a target's health.
public enum SignalSpec: Sendable, Hashable, Codable {
  case httpProbe(HTTPProbeSpec)
  case cloudWatchAlarm(AlarmSignalSpec)
  case route53HealthCheck(id: String)

  /// A short name that identifies the signal among its siblings and in explanations.
  public var name: String {
    switch self {
    case .httpProbe(let probe): "probe \(probe.url)"
    case .cloudWatchAlarm(let alarm): "alarm \(alarm.alarmName)"
    case .route53HealthCheck(let id): "route53 health check \(id)"
    }
  }

  /// Consecutive failures needed before the signal turns unhealthy.
  public var failureThreshold: Int {
    if case .httpProbe(let probe) = self { return probe.failureThreshold }
    return 1
  }

  /// Consecutive successes needed before the signal turns healthy.
  public var successThreshold: Int {
    if case .httpProbe(let probe) = self { return probe.successThreshold }
    return 1
  }
}

/// Where a signal belongs: one service in one region, or a whole region.
public struct SignalKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The service, or nil for a region-wide signal.
  public var service: ServiceID?
  /// The region the signal speaks for.
  public var region: RegionID
  /// The signal's `SignalSpec.name`.
  public var name: String
  public init(service: ServiceID?, region: RegionID, name: String) {
    self.service = service
    self.region = region
    self.name = name
  }
  public var description: String {
    if let service { return "\(name) (\(service) in \(region))" }
    return "\(name) (region \(region))"
  }
  public static func < (lhs: SignalKey, rhs: SignalKey) -> Bool { lhs.description < rhs.description }
}
