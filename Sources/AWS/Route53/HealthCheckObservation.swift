import Foundation

/// One Route53 checker's latest report on a health check.
public struct HealthCheckObservation: Sendable, Hashable {
  /// The checker's region.
  public var region: String
  /// The checker's IP address.
  public var ipAddress: String
  /// The report text, e.g. `Success: HTTP Status Code 200, OK`.
  public var status: String
  /// When the checker reported.
  public var checkedAt: Date?

  /// An observation as reported.
  public init(region: String, ipAddress: String, status: String, checkedAt: Date?) {
    self.region = region
    self.ipAddress = ipAddress
    self.status = status
    self.checkedAt = checkedAt
  }

  /// Route53 reports successes with a `Success` prefix.
  public var isHealthy: Bool { status.hasPrefix("Success") }
}
