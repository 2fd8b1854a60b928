import Foundation

/// One region a service runs in: where its record points there, its weight, and its own signals.
public struct ServiceRegion: Sendable, Hashable, Codable {
  /// The region, declared under `regions`.
  public var region: RegionID
  /// The record value for this region (an IP address or a host name).
  public var target: String
  /// The weight in `weighted` mode (0–255, Route53 semantics); ignored otherwise.
  public var weight: Int
  /// Signals that speak for this service in this region only.
  public var signals: [SignalSpec]
  public init(region: RegionID, target: String, weight: Int = 100, signals: [SignalSpec] = []) {
    self.region = region
    self.target = target
    self.weight = weight
    self.signals = signals
  }
}

/// A protected application: its DNS record and the ordered regions it runs in (primary first).
public struct Service: Sendable, Hashable, Codable {
  /// Unique id (the DNS name by default).
  public var id: ServiceID
  /// The fully qualified record name, without the trailing dot.
  public var dnsName: String
  /// The hosted zone's domain name (e.g. `example.com`).
  public var hostedZone: String
  /// The hosted zone id when known; otherwise it is looked up by domain.
  public var hostedZoneID: String?
  /// Record type: A, AAAA or CNAME.
  public var recordType: String
  /// Record TTL in seconds.
  public var ttl: Int
  /// How traffic moves between regions.
  public var routingMode: RoutingMode
  /// Ordered regions; the first is the primary.
  public var regions: [ServiceRegion]
  /// How signals combine into the service's health in a region.
  public var healthRule: CompositionRule
  /// The recovery runbook run inside each of its workflows; nil when it has none.
  public var runbook: Runbook?

  public init(
    id: ServiceID, dnsName: String, hostedZone: String, hostedZoneID: String? = nil, recordType: String = "A",
    ttl: Int = 60, routingMode: RoutingMode = .record, regions: [ServiceRegion],
    healthRule: CompositionRule = .all, runbook: Runbook? = nil
  ) {
    self.id = id
    self.dnsName = dnsName
    self.hostedZone = hostedZone
    self.hostedZoneID = hostedZoneID
    self.recordType = recordType
    self.ttl = ttl
    self.routingMode = routingMode
    self.regions = regions
    self.healthRule = healthRule
    self.runbook = runbook
  }

  /// The first region: where traffic belongs when everything is healthy.
  public var primary: RegionID? { regions.first?.region }

  /// This service's settings in one region, if it runs there.
  public func region(_ id: RegionID) -> ServiceRegion? { regions.first { $0.region == id } }

  /// The regions in configured order.
  public var regionIDs: [RegionID] { regions.map(\.region) }
}
