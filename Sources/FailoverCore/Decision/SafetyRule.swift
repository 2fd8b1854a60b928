import Foundation

/// The named safety rules; a refusal always names the rule that refused.
public enum SafetyRule: String, Sendable, Hashable, Codable, CaseIterable {
  /// Never route to an unhealthy or unknown target unless a `force` allows it.
  case neverRouteToUnhealthyTarget
  /// At least one region always receives traffic.
  case atLeastOneRegionReceivesTraffic
  /// Minimum time between two transitions of a service (anti-flap), unless forced.
  case minimumDwell
  /// A global limit on automatic failovers per hour.
  case automaticFailoverBrake
  /// Failback to the primary is manual unless the policy says otherwise.
  case manualFailback

  /// The rule in one plain sentence.
  public var sentence: String {
    switch self {
    case .neverRouteToUnhealthyTarget:
      "Traffic is never sent to an unhealthy or unknown target unless a force override allows it."
    case .atLeastOneRegionReceivesTraffic: "At least one region must always receive traffic."
    case .minimumDwell:
      "A service stays put for the minimum dwell time between two transitions, unless forced."
    case .automaticFailoverBrake: "Automatic failovers are limited per hour across all services (the brake)."
    case .manualFailback:
      "Returning traffic to the primary is an operator's decision under the current policy."
    }
  }
}
