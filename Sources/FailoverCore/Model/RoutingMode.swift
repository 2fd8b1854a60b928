import Foundation

/// How Switchboard moves a service's traffic between regions.
public enum RoutingMode: String, Sendable, Hashable, Codable, CaseIterable {
  /// Switchboard UPSERTs one simple record to the active region's target.
  case record
  /// Route53 PRIMARY/SECONDARY records whose health checks probe Switchboard's routing endpoint;
  /// a failover changes what that endpoint answers, with no DNS call.
  case failoverHealthCheck = "failover-health-check"
  /// Active-active weighted records; a failed region's weight goes to 0.
  case weighted
}
