import Dispatch
import FailoverCore
import Foundation

/// HTTP/1.1 GET probes with Route53's semantics on non-blocking sockets and Dispatch: resolve, connect within
/// the connect timeout, get the response within the response timeout, keep the status and the first 5,120 body
/// bytes, and judge the result with `ProbeVerdict`.
///
/// Probes are spread over a few serial lanes (queues targeting the global queue), never a queue or a thread
/// per probe. HTTPS probes skip certificate validation, as Route53's do. Implements the engine's `Prober` port.
public final class HTTPProber: Prober {

  let lanes: [ProbeLane]
  private let resolver: HostResolver
  private let clock: any Clock

  /// A prober with `laneCount` serial lanes (default: one per core) and a clock for observation times.
  public init(laneCount: Int? = nil, clock: any Clock = SystemClock(), dnsCacheSeconds: Double = 30) {
    let count = max(1, laneCount ?? ProcessInfo.processInfo.activeProcessorCount)
    let resolver = HostResolver(cacheSeconds: dnsCacheSeconds)
    self.resolver = resolver
    self.clock = clock
    lanes = (0..<count).map { ProbeLane(index: $0, resolver: resolver) }
  }

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
