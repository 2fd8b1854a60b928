import AWS
import Configuration
import FailoverCore
import Foundation

/// Turns a configuration into what bootstrap creates, one `DesiredState` per hosted zone (see docs/cli.md):
///
/// - `record`: one simple record pointing at the active region's target (the primary's before any failover);
/// - `failover-health-check`: PRIMARY/SECONDARY records whose health checks probe Switchboard's routing endpoint;
/// - `weighted`: one weighted record per region (weights from the routing state, else the configuration), each
///   replacing a record under its legacy set identifier.
///
/// A service's current routing state (from the store) is its desired state: plan never proposes undoing a failover
/// and bootstrap never moves traffic back.
///
/// Every health check gets a CloudWatch alarm on its `HealthCheckStatus` (the seed recipe's step 8).
public struct DesiredStateBuilder: Sendable {
  /// The configuration to provision.
  public var config: SwitchboardConfig
  /// Where Route53 reaches Switchboard; needed only when a service uses `failover-health-check`.
  public var routingEndpoint: RoutingEndpoint?
  /// Where each service's traffic goes now, as the store recorded it; a service absent here gets the
  /// configuration's routing (the primary, or the configured weights).
  public var routing: [ServiceID: RoutingState]
  /// Where each `hosted_zone_id` is written (`config.yaml:12:5`), named when Route53 disagrees with it.
  public var zoneIDOrigins: [ServiceID: String]

  /// A builder over a configuration, the services' current routing and, for `failover-health-check` services,
  /// Switchboard's public address.
  public init(
    config: SwitchboardConfig, routingEndpoint: RoutingEndpoint? = nil,
    routing: [ServiceID: RoutingState] = [:],
    zoneIDOrigins: [ServiceID: String] = [:]
  ) {
    self.config = config
    self.routingEndpoint = routingEndpoint
    self.routing = routing
    self.zoneIDOrigins = zoneIDOrigins
  }

  /// The routing a service starts with before any workflow: all traffic to the primary, or the configured
  /// weights.
  public static func configuredRouting(_ service: Service) -> RoutingState { .initial(for: service) }

  /// True when some service needs `routingEndpoint`.
  public static func needsRoutingEndpoint(_ config: SwitchboardConfig) -> Bool {
    config.services.contains { $0.routingMode == .failoverHealthCheck }
  }

  /// The desired state of every hosted zone the services use, in order of first use.
  public func build() throws(ProvisioningError) -> [DesiredState] {
    var zones: [String] = []
    var states: [String: DesiredState] = [:]
    // Services on the built-in DNS server or an RFC 2136 server have nothing in Route53.
    for service in config.services(using: .route53) {
      let domain = service.hostedZone.lowercased()
      // Two zones may share a name (private and public, split horizon): the id, when given, tells them apart.
      let zone = service.hostedZoneID.map { "\(domain) \(Self.bareZoneID($0))" } ?? domain
      if states[zone] == nil {
        zones.append(zone)
        states[zone] = DesiredState(
          zoneDomain: domain, zoneID: service.hostedZoneID.map(Self.bareZoneID),
          zoneIDOrigin: zoneIDOrigins[service.id], ownerPrefix: ProvisioningNames.ownerPrefix(zone: domain))
      }
      try add(service, to: &states[zone]!)
    }
    return zones.compactMap { states[$0] }
  }

  private func add(_ service: Service, to state: inout DesiredState) throws(ProvisioningError) {
    var checks: [RegionID: String] = [:]
    for placement in service.regions {
      guard let config = try healthCheck(service, placement) else { continue }
      let key = ProvisioningNames.healthCheckKey(service: service.id, region: placement.region)
      let length = ProvisioningNames.callerReferenceLength(ownerPrefix: state.ownerPrefix, key: key)
      guard length <= ProvisioningNames.maximumCallerReferenceLength else {
        throw ProvisioningError(
          "Service \(service.id) in \(placement.region): the health check's CallerReference would be \(length) "
            + "characters, more than Route53's \(ProvisioningNames.maximumCallerReferenceLength); "
            + "give the service a shorter `id`.")
      }
      checks[placement.region] = key
      state.healthChecks.append(
        DesiredHealthCheck(
          key: key, config: config, tags: ["Name": key, "Region": placement.region.rawValue]))
      state.alarms.append(
        DesiredAlarm(
          alarm: MetricAlarm.healthCheckStatus(
            name: state.ownerPrefix + key, healthCheckID: "",
            description: "Switchboard: Route53 health check of \(service.id) in \(placement.region)"),
          healthCheckKey: key))
    }
    var current = routing[service.id] ?? Self.configuredRouting(service)
    // A record-mode state without one active region has no record to write: keep the configured one, so plan and
    // teardown still know the record.
    if service.routingMode == .record && current.activeRegion == nil {
      current = Self.configuredRouting(service)
    }
    switch service.routingMode {
    case .record, .weighted:
      // The records the workflow writes for the current routing state: one naming, one content, for every path.
      for var record in DNSTarget.records(for: current, service: service) {
        record.name = record.name.lowercased()
        let region = service.regions.first {
          RecordSetIdentifier.canonical(service: service.id, region: $0.region) == record.setIdentifier
        }?.region
        state.records.append(
          DesiredRecord(
            record: record,
            healthCheckKey: service.routingMode == .weighted ? region.flatMap { checks[$0] } : nil,
            legacySetIdentifier: region.map(RecordSetIdentifier.legacy(region:))))
      }
    case .failoverHealthCheck:
      // Fixed PRIMARY/SECONDARY records; traffic moves through the routing endpoint, never through a record change.
      for (position, placement) in service.regions.enumerated() {
        let setID = ProvisioningNames.setIdentifier(service: service.id, region: placement.region)
        let record = DNSRecord(
          name: service.dnsName.lowercased(), type: service.recordType, ttl: service.ttl,
          values: [placement.target],
          routing: .failover(role: position == 0 ? .primary : .secondary, setIdentifier: setID))
        state.records.append(DesiredRecord(record: record, healthCheckKey: checks[placement.region]))
      }
    }
  }

  /// A zone id without Route53's `/hostedzone/` prefix.
  static func bareZoneID(_ id: String) -> String {
    id.hasPrefix("/hostedzone/") ? String(id.dropFirst("/hostedzone/".count)) : id
  }

  /// The health check of a service in a region: the routing endpoint in `failover-health-check` mode, else the
  /// region's first `http` signal (its own, then the region-wide ones); nil when it has none.
  private func healthCheck(_ service: Service, _ placement: ServiceRegion) throws(ProvisioningError)
    -> HealthCheckConfig?
  {
    if service.routingMode == .failoverHealthCheck {
      guard let routingEndpoint else {
        throw ProvisioningError(
          "Service \(service.id) uses failover-health-check routing, which needs Switchboard's public address "
            + "for its health checks; pass --public-url.")
      }
      return HealthCheckMapping.config(
        routingEndpoint: routingEndpoint, service: service.id, region: placement.region)
    }
    let regionSignals = config.regions.first { $0.id == placement.region }?.signals ?? []
    for signal in placement.signals + regionSignals {
      if case .httpProbe(let probe) = signal {
        do {
          return try HealthCheckMapping.config(for: probe)
        } catch {
          throw ProvisioningError("Service \(service.id) in \(placement.region): \(error.description)")
        }
      }
    }
    return nil
  }
}
