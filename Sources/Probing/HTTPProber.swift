import Dispatch
import FailoverCore
import Foundation
import Sockets

/// HTTP/1.1 GET probes with Route53's semantics on non-blocking sockets and Dispatch: resolve, connect within
/// the connect timeout, get the response within the response timeout, keep the status and the first 5,120 body
/// bytes, and judge the result with `ProbeVerdict`. Connections are kept alive between checks of the same
/// origin unless told otherwise.
///
/// Probes are spread over a few serial lanes (queues targeting the global queue), never a queue or a thread
/// per probe. HTTPS probes skip certificate validation, as Route53's do. Implements the engine's `Prober` port.
public final class HTTPProber: Prober {

  let lanes: [ProbeLane]
  private let resolver: HostResolver
  private let clock: any Clock

  /// Probe connections open at once by default, over all lanes (`probes.max_in_flight`).
  public static let defaultMaxInFlight = 4_096

  /// The cap on connections in flight, split evenly over the lanes (each gets at least one).
  public let maxInFlight: Int

  /// Whether connections are kept open between checks by default (`probes.keep_alive`).
  public static let defaultKeepAlive = true

  /// Whether a connection whose response was read to its end serves later checks of the same origin.
  public let keepAlive: Bool

  /// A prober with `laneCount` serial lanes (default: one per core), at most `maxInFlight` probe connections
  /// open at once (busy or idle), and never more than half the process's file-descriptor soft limit (a periodic
  /// probe due with no free slot skips that interval, counted as missed; a one-shot probe fails at once), a
  /// clock for observation times, and `keepAlive`: reuse a connection for later checks of its origin (a check
  /// on a reused connection the server had closed is retried once on a fresh one).
  public init(
    laneCount: Int? = nil, maxInFlight: Int = HTTPProber.defaultMaxInFlight, clock: any Clock = SystemClock(),
    dnsCacheSeconds: Double = 30, keepAlive: Bool = HTTPProber.defaultKeepAlive
  ) {
    let count = max(1, laneCount ?? ProcessInfo.processInfo.activeProcessorCount)
    let resolver = HostResolver(cacheSeconds: dnsCacheSeconds)
    self.resolver = resolver
    self.clock = clock
    self.keepAlive = keepAlive
    self.maxInFlight = HTTPProber.boundedMaxInFlight(
      maxInFlight, softLimit: FileDescriptorLimit.current()?.soft)
    let perLane = max(1, (self.maxInFlight + count - 1) / count)
    lanes = (0..<count).map { ProbeLane(index: $0, resolver: resolver) }
    for lane in lanes {
      lane.queue.sync {
        lane.maxInFlight = perLane
        lane.keepAlive = keepAlive
      }
    }
  }

  /// `requested`, at least 1 and at most half of `softLimit` (the other half stays for clients, the store and
  /// the runtime; at least 16).
  public static func boundedMaxInFlight(_ requested: Int, softLimit: UInt64?) -> Int {
    let requested = max(1, requested)
    guard let softLimit else { return requested }
    return min(requested, Int(max(16, min(softLimit, UInt64(Int.max)) / 2)))
  }

  /// Periodic intervals skipped and one-shot probes refused for want of a free connection slot, since the
  /// start (cheap: no lag percentiles).
  public func withoutSlot() -> (skipped: Int, refused: Int) {
    lanes.map { lane in lane.queue.sync { (lane.statistics.skipped, lane.statistics.refused) } }
      .reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
  }

  /// How the periodic probes kept their schedule (missed intervals, intervals skipped at the cap).
  public func statistics() -> ProbeStatistics { LaneSchedule(lanes: lanes).statistics() }

  deinit {
    for lane in lanes { lane.queue.async { lane.shutdown() } }
  }

  /// Probes once and calls back with the raw result (on a lane's queue).
  public func probeResult(_ spec: HTTPProbeSpec, completion: @escaping @Sendable (HTTPProbeResult) -> Void) {
    guard let url = ProbeURL(spec.url) else {
      completion(.failure(reason: "not an http:// or https:// URL", latency: nil))
      return
    }
    let lane = lanes[Int(ProbeLane.laneHash(spec.url) % UInt64(lanes.count))]
    lane.queue.async {
      lane.run(
        url: url, connectTimeout: spec.connectTimeout, responseTimeout: spec.responseTimeout,
        completion: completion)
    }
  }

  // MARK: Prober

  /// Starts the periodic probes of `targets`, judged into observations for `observe`.
  public func start(_ targets: [ProbeTarget], observe: @escaping @Sendable (Observation) -> Void) {
    let schedule = LaneSchedule(lanes: lanes)
    schedule.report(to: observe, clock: clock)
    schedule.update(targets)
  }

  /// Sets the periodic probes to run (new ones start, unchanged ones keep their rhythm, missing ones stop).
  public func update(_ targets: [ProbeTarget]) { LaneSchedule(lanes: lanes).update(targets) }

  /// Stops every periodic probe.
  public func stop() { LaneSchedule(lanes: lanes).stop() }

  // MARK: One probe

  /// Probes once and returns the observation for a signal.
  public func probe(_ spec: HTTPProbeSpec, key: SignalKey) async -> Observation {
    let at = clock.now
    let result = await withCheckedContinuation { continuation in
      probeResult(spec) { continuation.resume(returning: $0) }
    }
    return HTTPProber.observe(result, spec: spec, key: key, at: at)
  }

  /// The observation for a raw result (`ProbeVerdict`'s).
  public static func observe(_ result: HTTPProbeResult, spec: HTTPProbeSpec, key: SignalKey, at: Date)
    -> Observation
  {
    ProbeVerdict.observe(result, spec: spec, key: key, at: at)
  }
}
