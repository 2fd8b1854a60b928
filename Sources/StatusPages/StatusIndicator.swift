import FailoverCore
import Switchboard

/// The page-wide verdict a status page shows (Statuspage's `status.indicator`), from best to worst.
public enum StatusIndicator: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case none, minor, major, critical

  /// Statuspage's standard sentence for the indicator.
  public var description: String {
    switch self {
    case .none: "All Systems Operational"
    case .minor: "Minor Service Outage"
    case .major: "Partial System Outage"
    case .critical: "Major System Outage"
    }
  }

  /// Better before worse.
  public static func < (lhs: StatusIndicator, rhs: StatusIndicator) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// A component's state as Statuspage names it, from best to worst.
public enum ComponentStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case operational
  case degradedPerformance = "degraded_performance"
  case partialOutage = "partial_outage"
  case majorOutage = "major_outage"
  /// A failover drill is moving the component (summary.json only; never the result of health).
  case underMaintenance = "under_maintenance"

  /// The page indicator this component state implies.
  public var indicator: StatusIndicator {
    switch self {
    case .operational, .underMaintenance: .none
    case .degradedPerformance: .minor
    case .partialOutage: .major
    case .majorOutage: .critical
    }
  }

  /// Better before worse.
  public static func < (lhs: ComponentStatus, rhs: ComponentStatus) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// The rules that turn health into status-page terms (docs/status.md lists them).
public enum StatusRules {
  /// A service's state:
  /// - every region healthy: `operational`;
  /// - no verdict yet in any region (all unknown): `degraded_performance`;
  /// - no region can take traffic (none healthy or degraded): `major_outage`;
  /// - a region receiving traffic cannot take it (unhealthy or unknown), or none receives any, while another
  ///   region could: `partial_outage` (a failover is due or blocked);
  /// - otherwise (traffic served, but a receiving region is degraded or a standby is not healthy):
  ///   `degraded_performance`.
  public static func serviceStatus(_ service: ServiceSnapshot) -> ComponentStatus {
    let statuses = service.regions.map(\.health.status)
    if statuses.allSatisfy({ $0 == .healthy }) { return .operational }
    if statuses.allSatisfy({ $0 == .unknown }) { return .degradedPerformance }
    if !statuses.contains(where: \.canReceiveTraffic) { return .majorOutage }
    let receiving = service.regions.filter { service.routing.receives($0.region) }
    if receiving.isEmpty || receiving.contains(where: { !$0.health.status.canReceiveTraffic }) {
      return .partialOutage
    }
    return .degradedPerformance
  }

  /// A service's health in one region as a component: healthy `operational`, degraded or unknown
  /// `degraded_performance`, unhealthy `major_outage`.
  public static func regionStatus(_ health: HealthStatus) -> ComponentStatus {
    switch health {
    case .healthy: .operational
    case .degraded, .unknown: .degradedPerformance
    case .unhealthy: .majorOutage
    }
  }

  /// The page indicator: the worst service's (`none` when there are no services).
  public static func indicator(_ snapshot: EngineSnapshot) -> StatusIndicator {
    snapshot.services.map { serviceStatus($0).indicator }.max() ?? .none
  }

  /// The worse of two health verdicts, in `HealthStatus` order (healthy, degraded, unhealthy, unknown).
  public static func worse(_ lhs: HealthStatus, _ rhs: HealthStatus) -> HealthStatus {
    let order = HealthStatus.allCases
    return order.firstIndex(of: lhs)! >= order.firstIndex(of: rhs)! ? lhs : rhs
  }
}
