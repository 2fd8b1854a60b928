import Foundation

/// Everything the decider looks at for one service: nothing else influences the decision.
public struct DecisionInput: Sendable {
  /// The service being decided on.
  public var service: Service
  /// Where the service's traffic goes now.
  public var routing: RoutingState
  /// Composite health per region; a region missing here is a health-check error.
  public var health: [RegionID: Health]
  /// Overrides (active or not; the decider keeps those active at `now` that cover the service).
  public var overrides: [Override]
  /// The rules for automatic action.
  public var policy: Policy
  /// Completed transitions of all services (for dwell and the brake); older than an hour may be omitted.
  public var history: [Transition]
  /// The instant of the decision (from the engine's clock).
  public var now: Date

  public init(
    service: Service, routing: RoutingState, health: [RegionID: Health], overrides: [Override] = [],
    policy: Policy = Policy(), history: [Transition] = [], now: Date
  ) {
    self.service = service
    self.routing = routing
    self.health = health
    self.overrides = overrides
    self.policy = policy
    self.history = history
    self.now = now
  }

  /// The overrides in force now that cover this service, newest first.
  public var applicableOverrides: [Override] {
    overrides
      .filter { $0.isActive(at: now) && $0.scope.covers(service: service.id, regions: service.regionIDs) }
      .sorted { $0.createdAt > $1.createdAt }
  }

  /// Regions drained by an override in force.
  public var drainedRegions: Set<RegionID> {
    Set(applicableOverrides.compactMap(\.drainedRegion).filter { service.regionIDs.contains($0) })
  }

  /// The health of a region, unknown when absent.
  public func health(of region: RegionID) -> Health {
    health[region] ?? .unknown("No health was reported for \(region).")
  }
}
