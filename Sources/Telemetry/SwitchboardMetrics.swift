import FailoverCore
import Prometheus
import Switchboard
import Synchronization

/// The Prometheus metrics of one Switchboard instance: its own registry (never the process-global metrics
/// system, so several instances in one process stay apart), the recorders the server, the AWS clients and the
/// engine call, and the text a scrape of `GET /metrics` returns.
///
/// Counters and histograms are recorded as things happen (requests, AWS calls, probes, finished workflows);
/// gauges that describe the engine's state (health, routing, overrides, workflows in flight) are refreshed from
/// `Engine.snapshot()` at each scrape. docs/metrics.md lists every family.
public final class SwitchboardMetrics: Sendable {
  /// The registry every family lives in.
  public let registry: PrometheusCollectorRegistry
  /// The content type of the text format `render` produces.
  public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  private let snapshotSource = Mutex<(@Sendable () async -> EngineSnapshot?)?>(nil)
  private let probeCapacitySource = Mutex<(@Sendable () -> (skipped: Int, refused: Int))?>(nil)
  /// Each request's series, found once: the registry's own lookup validates names and labels on every call.
  let httpSeries = Mutex<[HTTPSeriesKey: HTTPSeries]>([:])
  /// Each probe signal's counts (`probeExposition` writes them at each scrape).
  let probeSeries = Mutex<[SignalKey: ProbeCounts]>([:])

  /// Metrics kept in `registry` (a new one by default).
  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
  }

  /// Refreshes the state gauges from this engine at every scrape (held weakly: a stopped engine is not kept).
  public func watch(_ engine: Engine) {
    snapshotSource.withLock { source in
      source = { [weak engine] in await engine?.snapshot() }
    }
  }

  /// Reports, at every scrape, the probe intervals skipped and one-shot probes refused for want of a free
  /// connection slot (`probes.max_in_flight`), as counted by the prober since it started.
  public func watchProbeCapacity(_ source: @escaping @Sendable () -> (skipped: Int, refused: Int)) {
    probeCapacitySource.withLock { $0 = source }
  }

  /// The Prometheus text exposition (format 0.0.4) of every family, after refreshing the state gauges from the
  /// watched engine, if any.
  public func render() async -> [UInt8] { Array(await renderParts().joined()) }

  /// The exposition in the order it is sent: the registry's families, the probe families, then the engine's state
  /// gauges, then the probe-capacity counters. Kept apart so a large scrape (tens of megabytes at 10,000 probe targets) is sent
  /// from these buffers as they are, never copied into one.
  public func renderParts() async -> [[UInt8]] {
    let source = snapshotSource.withLock { $0 }
    var parts = [registry.emitToBuffer(), probeExposition()]
    if let source, let snapshot = await source() { parts.append(Self.stateExposition(from: snapshot)) }
    if let capacity = probeCapacitySource.withLock({ $0 })?() {
      var family = StateFamily(
        .switchboard(
          "probes_without_slot", unit: "total",
          help: "Probes not started because probes.max_in_flight connections were open: a periodic probe's "
            + "interval skipped (counted as missed) or a one-shot probe failed at once."),
        type: "counter")
      family.add([("kind", "periodic")], Double(capacity.skipped))
      family.add([("kind", "one-shot")], Double(capacity.refused))
      parts.append(family.text)
    }
    return parts
  }

  /// The rendered text as a string (tests, tools).
  public func renderText() async -> String { String(decoding: await render(), as: UTF8.self) }
}
