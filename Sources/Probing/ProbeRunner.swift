import Dispatch
import FailoverCore
import Foundation

/// One periodic probe: the signal it speaks for and how to probe.
public struct ProbeTarget: Sendable, Hashable {
  /// The signal.
  public var key: SignalKey
  /// The probe's URL, interval, timeouts and expectations.
  public var spec: HTTPProbeSpec
  public init(key: SignalKey, spec: HTTPProbeSpec) {
    self.key = key
    self.spec = spec
  }
}

/// Runs periodic probes on the prober's lanes at the offsets `ProbeSchedule` spreads them over (with its
/// jitter), and hands each observation to a callback. Each lane has one timer set to its earliest due probe.
public final class ProbeRunner: Sendable {
  /// The prober whose lanes run the probes.
  public let prober: HTTPProber

  /// A runner that reports every observation to `onObservation` (called on a lane's queue; keep it short).
  public init(
    prober: HTTPProber, clock: any Clock = SystemClock(),
    onObservation: @escaping @Sendable (Observation) -> Void
  ) {
    self.prober = prober
    for lane in prober.lanes {
      lane.queue.sync {
        lane.clock = clock
        lane.onResult = { key, spec, result, at in
          onObservation(HTTPProber.observe(result, spec: spec, key: key, at: at))
        }
      }
    }
  }

  /// Sets the probes to run: new ones start at their schedule offset from now, unchanged ones keep their
  /// rhythm, missing ones stop.
  public func update(_ targets: [ProbeTarget]) {
    let schedule = ProbeSchedule(targets.map { ($0.key, $0.spec.interval) })
    let start = DispatchTime.now().uptimeNanoseconds
    var perLane = Array(
      repeating: [(key: SignalKey, spec: HTTPProbeSpec, firstDue: UInt64)](), count: prober.lanes.count)
    for target in targets {
      let offset = ProbeConnection.nanos(schedule.offsets[target.key] ?? 0)
      let lane = Int(ProbeLane.laneHash(target.key.description) % UInt64(prober.lanes.count))
      perLane[lane].append((target.key, target.spec, start + offset))
    }
    for (index, lane) in prober.lanes.enumerated() {
      let targets = perLane[index]
      lane.queue.async { lane.setSchedule(targets) }
    }
  }

  /// Stops every periodic probe (probes in flight finish and still report).
  public func stop() {
    for lane in prober.lanes { lane.queue.sync { lane.stopSchedule() } }
  }

  /// How the schedule was kept since the start or the last reset.
  public func statistics() -> ProbeStatistics {
    ProbeStatistics.combine(prober.lanes.map { lane in lane.queue.sync { (lane.statistics, lane.inFlight) } })
  }

  /// Starts counting afresh.
  public func resetStatistics() {
    for lane in prober.lanes { lane.queue.sync { lane.statistics = ProbeStatistics.Accumulator() } }
  }
}
