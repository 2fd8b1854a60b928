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

  /// Counts a probe observation by its result and records its latency when it had one: O(1), one dictionary
  /// update under a lock.
  public func probeObserved(_ observation: Observation) {
    probeSeries.withLock { table in
      table[observation.signal, default: ProbeCounts()].record(observation)
    }
  }

  /// The probe families in the text exposition, written at each scrape from the counts. Not registry series: a
  /// counter per result and a histogram per signal are objects of about 1.2 KB each (12 MB at 10,000 targets);
  /// these counts are about 150 bytes. A series appears once it has counted something, as a registry's would.
  func probeExposition() -> [UInt8] {
    let table = probeSeries.withLock { $0 }
    guard !table.isEmpty else { return [] }
    let signals = table.keys.sorted {
      ($0.service?.rawValue ?? "", $0.region.rawValue, $0.name)
        < ($1.service?.rawValue ?? "", $1.region.rawValue, $1.name)
    }
    var results = StateFamily(Self.probeResults, type: "counter")
    var latency = StateFamily(Self.probeLatency, type: "histogram")
    let bounds = Self.probeBuckets.map { Array(",le=\"\($0)\"".utf8) }
    let outcomes = HealthStatus.allCases.map { Array(",result=\"\($0.rawValue)\"".utf8) }
    for signal in signals {
      guard let counts = table[signal] else { continue }
      let labels = StateFamily.labelText([
        ("service", signal.service?.rawValue ?? ""), ("region", signal.region.rawValue),
        ("signal", signal.name),
      ])
      for (index, outcome) in outcomes.enumerated() where counts.results[index] > 0 {
        results.add(suffix: "", labels: labels + outcome, "\(counts.results[index])")
      }
      guard counts.latencyCount > 0 else { continue }
      for (index, bound) in bounds.enumerated() {
        latency.add(suffix: "_bucket", labels: labels + bound, "\(counts.buckets[index])")
      }
      latency.add(suffix: "_bucket", labels: labels + #",le="+Inf""#.utf8, "\(counts.latencyCount)")
      latency.add(suffix: "_sum", labels: labels, "\(counts.latencySum)")
      latency.add(suffix: "_count", labels: labels, "\(counts.latencyCount)")
    }
    return results.text + latency.text
  }
}

/// One probe signal's counts, inline: observations by result (in `HealthStatus.allCases` order) and the latency
/// histogram's cumulative buckets (`SwitchboardMetrics.probeBuckets`), sum and count.
struct ProbeCounts: Sendable {
  var results = InlineArray<4, UInt64>(repeating: 0)
  var buckets = InlineArray<11, UInt64>(repeating: 0)
  var latencySum: Double = 0
  var latencyCount: UInt64 = 0

  mutating func record(_ observation: Observation) {
    results[HealthStatus.allCases.firstIndex(of: observation.status) ?? 3] += 1
    guard let value = observation.latency.map({ max(0, $0) }) else { return }
    for (index, bound) in SwitchboardMetrics.probeBuckets.enumerated() where value <= bound {
      buckets[index] += 1
    }
    latencySum += value
    latencyCount += 1
  }
}
