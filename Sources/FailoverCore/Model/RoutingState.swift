import Foundation

/// Where a service's traffic goes now: the weight of each region (0 = no traffic).
///
/// In `record` and `failover-health-check` modes exactly one region has a non-zero weight.
public struct RoutingState: Sendable, Hashable, Codable {
  /// The service routed.
  public var service: ServiceID
  /// Weight per region; 0 or absent means no traffic.
  public var weights: [RegionID: Int]
  public init(service: ServiceID, weights: [RegionID: Int]) {
    self.service = service
    self.weights = weights
  }

  /// All traffic to one region.
  public static func single(_ service: ServiceID, _ region: RegionID) -> RoutingState {
    RoutingState(service: service, weights: [region: 100])
  }

  /// Regions that receive traffic, sorted by name.
  public var receivingRegions: [RegionID] { weights.filter { $0.value > 0 }.keys.sorted() }

  /// The region receiving traffic, when exactly one does.
  public var activeRegion: RegionID? {
    let receiving = receivingRegions
    return receiving.count == 1 ? receiving[0] : nil
  }

  /// What the routing endpoint `/routing/{service}/{region}` answers in `failover-health-check` mode:
  /// 200 (send traffic) when the region has weight, 503 (don't) otherwise.
  public func routingEndpointStatus(for region: RegionID) -> Int { receives(region) ? 200 : 503 }

  /// Whether a region receives traffic.
  public func receives(_ region: RegionID) -> Bool { (weights[region] ?? 0) > 0 }

  /// A stable text form, e.g. `us-east-1=100, us-west-2=0`.
  public var summary: String {
    weights.keys.sorted().map { "\($0)=\(weights[$0]!)" }.joined(separator: ", ")
  }
}

/// Why traffic moved.
public enum TransitionTrigger: String, Sendable, Hashable, Codable, CaseIterable {
  /// The decider moved traffic away from an unhealthy region.
  case automatic
  /// A `force` override.
  case forced
  /// A `drain` override.
  case drain
  /// Traffic returned to the primary automatically.
  case failback
  /// An operator asked for it.
  case manual

  /// Whether the transition counts towards the automatic-failover brake.
  public var isAutomatic: Bool { self == .automatic || self == .failback }
}

/// A completed move of a service's traffic, as kept in history.
public struct Transition: Sendable, Hashable, Codable {
  /// The service routed.
  public var service: ServiceID
  /// Routing before the transition.
  public var from: RoutingState
  /// Routing after the transition.
  public var to: RoutingState
  /// Why it happened.
  public var trigger: TransitionTrigger
  /// When the workflow completed.
  public var at: Date
  public init(service: ServiceID, from: RoutingState, to: RoutingState, trigger: TransitionTrigger, at: Date)
  {
    self.service = service
    self.from = from
    self.to = to
    self.trigger = trigger
    self.at = at
  }
}
