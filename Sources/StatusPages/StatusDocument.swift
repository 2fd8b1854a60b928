import FailoverCore
import Foundation
import Switchboard

/// `GET /api/v1/status`: the one document a status page or script polls.
///
/// Nullable fields are always present (as `null`), so the shape never varies; `updated_at` moves only when
/// something else in the document changed.
public struct StatusDocument: Sendable, Hashable, Encodable {
  /// The page-wide verdict: the worst service's.
  public var indicator: StatusIndicator
  /// The indicator in words.
  public var description: String
  /// When the document's content last changed.
  public var updatedAt: Date
  /// Every service, in configured order.
  public var services: [ServiceStatusEntry]
  /// Every region any service runs in, in order of first appearance.
  public var regions: [RegionStatusEntry]
  /// Regions receiving traffic of at least one service, sorted.
  public var activeRegions: [String]
  /// Overrides in force, newest first.
  public var overrides: [OverrideStatusEntry]
  /// The most recent finished failover workflow (any service), with its measured timings.
  @Nullable public var lastFailover: LastFailover?

  enum CodingKeys: String, CodingKey {
    case indicator, description, updatedAt, services, regions, activeRegions, overrides, lastFailover
  }
}

/// One service on the status document.
public struct ServiceStatusEntry: Sendable, Hashable, Encodable {
  /// The service id.
  public var id: String
  /// Its state in Statuspage terms (see `StatusRules.serviceStatus`).
  public var status: ComponentStatus
  /// `record`, `failover-health-check` or `weighted`.
  public var routingMode: String
  /// The first configured region.
  @Nullable public var primaryRegion: String?
  /// Regions receiving its traffic now, sorted.
  public var activeRegions: [String]
  /// Whether a workflow is moving its traffic now.
  public var failoverInProgress: Bool
  /// Health per region, in configured order.
  public var regions: [ServiceRegionStatus]

  enum CodingKeys: String, CodingKey {
    case id, status, routingMode, primaryRegion, activeRegions, failoverInProgress, regions
  }
}

/// A service's health in one region.
public struct ServiceRegionStatus: Sendable, Hashable, Encodable {
  /// The region.
  public var region: String
  /// The composite verdict.
  public var health: HealthStatus
  /// Since when the verdict has held, when known.
  @Nullable public var since: Date?
  /// Whether this region receives the service's traffic now.
  public var receivesTraffic: Bool
  /// Whether it is the service's primary (first configured) region.
  public var primary: Bool

  enum CodingKeys: String, CodingKey { case region, health, since, receivesTraffic, primary }
}

/// One region across services.
public struct RegionStatusEntry: Sendable, Hashable, Encodable {
  /// The region.
  public var id: String
  /// The worst verdict of the services running there (healthy, degraded, unhealthy, unknown, in that order).
  public var health: HealthStatus
  /// Whether it receives traffic of at least one service.
  public var active: Bool
  /// How many services run there.
  public var services: Int
}

/// An override in force, as the status document shows it.
public struct OverrideStatusEntry: Sendable, Hashable, Encodable {
  /// The override id.
  public var id: String
  /// `global`, `region:ID` or `service:ID`.
  public var scope: String
  /// `freeze`, `drain`, `force` or `block`.
  public var kind: String
  /// The region forced to or drained, when one is named.
  @Nullable public var targetRegion: String?
  /// Who created it.
  public var actor: String
  /// Why.
  public var reason: String
  /// When it was created.
  public var createdAt: Date
  /// When it stops applying by itself.
  public var expiresAt: Date

  /// The entry for an override in force.
  public init(_ override: Override) {
    id = override.id
    scope = override.scope.token
    kind = override.kind.rawValue
    targetRegion = override.targetRegion?.rawValue
    actor = override.actor
    reason = override.reason
    createdAt = override.createdAt
    expiresAt = override.expiresAt
  }

  enum CodingKeys: String, CodingKey {
    case id, scope, kind, targetRegion, actor, reason, createdAt, expiresAt
  }
}
