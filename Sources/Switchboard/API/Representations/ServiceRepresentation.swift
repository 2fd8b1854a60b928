import FailoverCore
import Foundation

/// A service in detail: configuration, health per region with every signal, routing, workflow, decision,
/// overrides.
public struct ServiceRepresentation: Sendable, Hashable, Encodable {
  /// The service in one region.
  public struct RegionEntry: Sendable, Hashable, Encodable {
    public var region: String
    public var target: String
    public var primary: Bool
    public var receivesTraffic: Bool
    public var weight: Int
    public var health: HealthRepresentation
    public var signals: [SignalRepresentation]
  }

  public var id: String
  public var dnsName: String
  public var hostedZone: String
  public var recordType: String
  public var ttl: Int
  public var routingMode: String
  public var primaryRegion: String
  @Nullable public var activeRegion: String?
  /// The health of the regions receiving traffic (the worst of them); `unknown` before the first tick.
  public var health: String
  public var regions: [RegionEntry]
  @Nullable public var workflow: WorkflowSummaryRepresentation?
  @Nullable public var lastWorkflow: WorkflowSummaryRepresentation?
  @Nullable public var lastDecision: DecisionRepresentation?
  public var overrides: [OverrideRepresentation]

  public init(_ service: Service, snapshot: ServiceSnapshot, now: Date) {
    let order = service.regionIDs
    id = service.id.rawValue
    dnsName = service.dnsName
    hostedZone = service.hostedZone
    recordType = service.recordType
    ttl = service.ttl
    routingMode = service.routingMode.rawValue
    primaryRegion = service.primary?.rawValue ?? ""
    activeRegion = snapshot.activeRegion?.rawValue
    regions = snapshot.regions.map { region in
      RegionEntry(
        region: region.region.rawValue, target: service.region(region.region)?.target ?? "",
        primary: region.region == service.primary, receivesTraffic: snapshot.routing.receives(region.region),
        weight: snapshot.routing.weights[region.region] ?? 0, health: HealthRepresentation(region.health),
        signals: region.signals.map(SignalRepresentation.init))
    }
    health = Self.servingHealth(snapshot).rawValue
    workflow = snapshot.workflow.map { WorkflowSummaryRepresentation($0, order: order) }
    lastWorkflow = snapshot.lastWorkflow.map { WorkflowSummaryRepresentation($0, order: order) }
    lastDecision = snapshot.lastDecision.map { DecisionRepresentation($0, order: order) }
    overrides = snapshot.overrides.map { OverrideRepresentation($0, now: now) }
  }

  /// The worst health among the regions that receive traffic: what the service's users experience.
  static func servingHealth(_ snapshot: ServiceSnapshot) -> HealthStatus {
    let serving = snapshot.regions.filter { snapshot.routing.receives($0.region) }.map(\.health.status)
    guard !serving.isEmpty else { return .unhealthy }
    let rank: [HealthStatus: Int] = [.healthy: 0, .degraded: 1, .unknown: 2, .unhealthy: 3]
    return serving.max { rank[$0, default: 0] < rank[$1, default: 0] } ?? .unknown
  }
}

/// A region with the health of every service placed in it.
public struct RegionRepresentation: Sendable, Hashable, Encodable {
  /// One service's health in the region.
  public struct ServiceEntry: Sendable, Hashable, Encodable {
    public var service: String
    public var health: HealthRepresentation
    public var receivesTraffic: Bool
  }

  public var id: String
  /// The worst health of the services in the region (`unknown` when none is placed there).
  public var health: String
  public var services: [ServiceEntry]
  /// Overrides in force whose scope is this region or global.
  public var overrides: [OverrideRepresentation]

  public init(_ region: RegionID, snapshot: EngineSnapshot) {
    id = region.rawValue
    services = snapshot.services.compactMap { service in
      guard let entry = service.regions.first(where: { $0.region == region }) else { return nil }
      return ServiceEntry(
        service: service.id.rawValue, health: HealthRepresentation(entry.health),
        receivesTraffic: service.routing.receives(region))
    }
    let rank: [String: Int] = ["healthy": 0, "degraded": 1, "unknown": 2, "unhealthy": 3]
    health = services.map(\.health.status).max { rank[$0, default: 0] < rank[$1, default: 0] } ?? "unknown"
    overrides = snapshot.overrides.filter { override in
      switch override.scope {
      case .global: true
      case .region(let id): id == region
      case .service: override.drainedRegion == region
      }
    }.map { OverrideRepresentation($0, now: snapshot.at) }
  }
}
