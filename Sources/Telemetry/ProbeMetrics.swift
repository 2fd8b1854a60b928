import FailoverCore
import Prometheus
import Switchboard

extension SwitchboardMetrics {
  static var probeLatency: MetricNameDescriptor {
    .switchboard(
      "probe_latency", unit: "seconds",
      help:
        "Response time of HTTP probes that got an answer, by service (empty for region-wide probes), region and signal."
    )
  }
  static var probeResults: MetricNameDescriptor {
    .switchboard(
      "probe_results", unit: "total",
      help: "HTTP probe observations by service (empty for region-wide probes), region, signal and result "
        + "(healthy, degraded, unhealthy, unknown).")
  }
  /// Probes answer in milliseconds when healthy and time out after seconds when not.
  static let probeBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

  /// Counts a probe observation by its result and records its latency when it had one.
  public func probeObserved(_ observation: Observation) {
    let key = observation.signal
    let service = key.service?.rawValue ?? ""
    let region = key.region.rawValue
    registry.makeCounter(
      descriptor: Self.probeResults,
      labels: [
        ("service", service), ("region", region), ("signal", key.name),
        ("result", observation.status.rawValue),
      ]
    ).increment()
    if let latency = observation.latency {
      registry.makeValueHistogram(
        descriptor: Self.probeLatency,
        labels: [("service", service), ("region", region), ("signal", key.name)],
        buckets: Self.probeBuckets
      ).record(max(0, latency))
    }
  }
}
