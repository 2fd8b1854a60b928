import FailoverCore
import Foundation

/// Where a service's traffic goes: a weight per region (all-or-nothing in `record` and failover modes).
public struct RoutingRepresentation: Sendable, Hashable, Encodable {
  /// One region's share.
  public struct Share: Sendable, Hashable, Encodable {
    public var region: String
    public var weight: Int
  }
  public var regions: [Share]
  @Nullable public var activeRegion: String?
  public var summary: String

  /// `order` lists the service's regions in configured order (the state's weights are unordered).
  public init(_ state: RoutingState, order: [RegionID]) {
    let known = order + state.weights.keys.filter { !order.contains($0) }.sorted()
    regions = known.map { Share(region: $0.rawValue, weight: state.weights[$0] ?? 0) }
    activeRegion = state.activeRegion?.rawValue
    summary = state.summary
  }
}

/// A planned move: from, to, why, by whom.
public struct PlanRepresentation: Sendable, Hashable, Encodable {
  public var service: String
  public var from: RoutingRepresentation
  public var to: RoutingRepresentation
  public var trigger: String
  public var actor: String
  public var reason: String
  @Nullable public var overrideId: String?
  public var allowsUnhealthyTarget: Bool
  @Nullable public var firstUnhealthyAt: Date?

  public init(_ plan: FailoverPlan, order: [RegionID]) {
    service = plan.service.rawValue
    from = RoutingRepresentation(plan.from, order: order)
    to = RoutingRepresentation(plan.to, order: order)
    trigger = plan.trigger.rawValue
    actor = plan.actor
    reason = plan.reason
    overrideId = plan.overrideID
    allowsUnhealthyTarget = plan.allowsUnhealthyTarget
    firstUnhealthyAt = plan.firstUnhealthyAt
  }
}
