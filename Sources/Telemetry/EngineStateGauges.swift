import FailoverCore
import Prometheus
import Switchboard

extension SwitchboardMetrics {
  static var serviceHealth: MetricNameDescriptor {
    .switchboard(
      "service_health", unit: "",
      help: "1 for a service's current composite health status in a region, 0 for the other statuses.")
  }
  static var activeRegion: MetricNameDescriptor {
    .switchboard(
      "active_region", unit: "",
      help: "1 when the region receives the service's traffic, 0 when it does not.")
  }
  static var routingWeight: MetricNameDescriptor {
    .switchboard(
      "routing_weight", unit: "",
      help: "The service's routing weight for the region (0 = no traffic).")
  }
  static var overridesActive: MetricNameDescriptor {
    .switchboard(
      "overrides_active", unit: "",
      help: "Overrides in force, by kind.")
  }
  static var workflowsInFlight: MetricNameDescriptor {
    .switchboard(
      "workflows_in_flight", unit: "",
      help: "Failover workflows running now (at most one per service).")
  }
  /// The state gauges as the snapshot says, in the text exposition: written here at each scrape rather than
  /// registered as series, since the registry copies a family's series for every one added (60,000 series at
  /// 10,000 targets took minutes to register) and a reload would leave stale ones behind.
  static func stateExposition(from snapshot: EngineSnapshot) -> [UInt8] {
    var health = StateFamily(Self.serviceHealth)
    var active = StateFamily(Self.activeRegion)
    var weight = StateFamily(Self.routingWeight)
    for service in snapshot.services {
      let serviceName = service.id.rawValue
      for region in service.regions {
        let regionName = region.region.rawValue
        for status in HealthStatus.allCases {
          health.add(
            [("service", serviceName), ("region", regionName), ("status", status.rawValue)],
            region.health.status == status ? 1 : 0)
        }
        let labels = [("service", serviceName), ("region", regionName)]
        active.add(labels, service.routing.receives(region.region) ? 1 : 0)
        weight.add(labels, Double(service.routing.weights[region.region] ?? 0))
      }
    }
    var overrides = StateFamily(Self.overridesActive)
    for kind in OverrideKind.allCases {
      overrides.add([("kind", kind.rawValue)], Double(snapshot.overrides.filter { $0.kind == kind }.count))
    }
    var workflows = StateFamily(Self.workflowsInFlight)
    workflows.add([], Double(snapshot.services.filter { $0.workflow != nil }.count))
    return [health, active, weight, overrides, workflows].flatMap { $0.text }
  }
}
