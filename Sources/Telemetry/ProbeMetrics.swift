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

  /// Counts a probe observation by its result and records its latency when it had one. Each signal's series are
  /// found once (the registry validates names and labels on every lookup): O(1) per observation.
  public func probeObserved(_ observation: Observation) {
    let key = observation.signal
    let (results, latency) = probeSeries.withLock { cache in
      var series = cache[key] ?? ProbeSeries()
      func labels() -> [(String, String)] {
        [("service", key.service?.rawValue ?? ""), ("region", key.region.rawValue), ("signal", key.name)]
      }
      let results =
        series.results[observation.status]
        ?? registry.makeCounter(
          descriptor: Self.probeResults, labels: labels() + [("result", observation.status.rawValue)])
      series.results[observation.status] = results
      if observation.latency != nil, series.latency == nil {
        series.latency = registry.makeValueHistogram(
          descriptor: Self.probeLatency, labels: labels(), buckets: Self.probeBuckets)
      }
      cache[key] = series
      return (results, series.latency)
    }
    results.increment()
    if let value = observation.latency { latency?.record(max(0, value)) }
  }
}

/// One probe signal's series: a counter per result, and its latency histogram once it had an answer.
struct ProbeSeries: Sendable {
  var results: [HealthStatus: Counter] = [:]
  var latency: ValueHistogram?
}
