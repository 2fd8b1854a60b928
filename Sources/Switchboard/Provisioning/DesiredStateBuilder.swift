import AWS
import FailoverCore
import Foundation

/// Turns a configuration into what bootstrap creates, one `DesiredState` per hosted zone (see docs/cli.md):
///
/// - `record`: one simple record pointing at the primary region's target;
/// - `failover-health-check`: PRIMARY/SECONDARY records whose health checks probe Switchboard's routing endpoint;
/// - `weighted`: one weighted record per region (weights from the configuration).
///
/// Every health check gets a CloudWatch alarm on its `HealthCheckStatus` (the seed recipe's step 8).
public struct DesiredStateBuilder: Sendable {
  /// The configuration to provision.
  public var config: SwitchboardConfig
  /// Where Route53 reaches Switchboard; needed only when a service uses `failover-health-check`.
  public var routingEndpoint: RoutingEndpoint?

  /// A builder over a configuration and, for `failover-health-check` services, Switchboard's public address.
  public init(config: SwitchboardConfig, routingEndpoint: RoutingEndpoint? = nil) {
    self.config = config
    self.routingEndpoint = routingEndpoint
  }

  /// True when some service needs `routingEndpoint`.
  public static func needsRoutingEndpoint(_ config: SwitchboardConfig) -> Bool {
    config.services.contains { $0.routingMode == .failoverHealthCheck }
  }

  /// The desired state of every hosted zone the services use, in order of first use.
  public func build() throws(ProvisioningError) -> [DesiredState] {
    var zones: [String] = []
    var states: [String: DesiredState] = [:]
    for service in config.services {
      let zone = service.hostedZone.lowercased()
      if states[zone] == nil {
        zones.append(zone)
        states[zone] = DesiredState(zoneDomain: zone, ownerPrefix: ProvisioningNames.ownerPrefix(zone: zone))
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
    for (position, placement) in service.regions.enumerated() {
      let setID = ProvisioningNames.setIdentifier(service: service.id, region: placement.region)
      var record = DNSRecord(
        name: service.dnsName.lowercased(), type: service.recordType, ttl: service.ttl,
        values: [placement.target])
      switch service.routingMode {
      case .record:
        // One record: the primary's target. Switchboard UPSERTs it to another region when it fails over.
        guard position == 0 else { continue }
      case .failoverHealthCheck:
        record.routing = .failover(role: position == 0 ? .primary : .secondary, setIdentifier: setID)
      case .weighted:
        record.routing = .weighted(weight: placement.weight, setIdentifier: setID)
      }
      let attach = service.routingMode == .record ? nil : checks[placement.region]
      state.records.append(DesiredRecord(record: record, healthCheckKey: attach))
    }
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
