import Prometheus
import Switchboard

extension MetricNameDescriptor {
  /// A Switchboard family: `switchboard_<name>_<unit>` (no unit suffix when `unit` is empty), with its HELP text.
  static func switchboard(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(namespace: "switchboard", metricName: name, unitName: unit, helpText: help)
  }
}
