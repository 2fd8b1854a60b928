import FailoverCore
import Prometheus
import Switchboard

/// A state gauge's identity (family and labels), to drop the series of services, regions or kinds that went away.
struct StateGaugeKey: Hashable, Sendable {
  var name: String
  var labels: [String]
}

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
  /// Sets the state gauges to what the snapshot says; series of services, regions or kinds that are gone are
  /// removed so that a reload leaves no stale series behind.
  public func refresh(from snapshot: EngineSnapshot) {
    var values:
      [(key: StateGaugeKey, family: MetricNameDescriptor, labels: [(String, String)], value: Double)] = []
    func add(_ family: MetricNameDescriptor, _ labels: [(String, String)], _ value: Double) {
      let key = StateGaugeKey(name: family.name, labels: labels.flatMap { [$0.0, $0.1] })
      values.append((key, family, labels, value))
    }
    for service in snapshot.services {
      let serviceName = service.id.rawValue
      for region in service.regions {
        let regionName = region.region.rawValue
        for status in HealthStatus.allCases {
          add(
            Self.serviceHealth,
            [("service", serviceName), ("region", regionName), ("status", status.rawValue)],
            region.health.status == status ? 1 : 0)
        }
        let labels = [("service", serviceName), ("region", regionName)]
        add(Self.activeRegion, labels, service.routing.receives(region.region) ? 1 : 0)
        add(Self.routingWeight, labels, Double(service.routing.weights[region.region] ?? 0))
      }
    }
    for kind in OverrideKind.allCases {
      let count = snapshot.overrides.filter { $0.kind == kind }.count
      add(Self.overridesActive, [("kind", kind.rawValue)], Double(count))
    }
    add(Self.workflowsInFlight, [], Double(snapshot.services.filter { $0.workflow != nil }.count))

    stateGauges.withLock { gauges in
      var current: [StateGaugeKey: Gauge] = [:]
      for (key, family, labels, value) in values {
        let gauge =
          gauges[key]
          ?? (labels.isEmpty
            ? registry.makeGauge(descriptor: family) : registry.makeGauge(descriptor: family, labels: labels))
        gauge.set(value)
        current[key] = gauge
      }
      for (key, gauge) in gauges where current[key] == nil { registry.unregisterGauge(gauge) }
      gauges = current
    }
  }
}
