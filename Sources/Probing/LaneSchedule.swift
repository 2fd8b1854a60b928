import Dispatch
import FailoverCore

/// The periodic side of the prober's lanes: who hears each result, which targets run on which lane at the
/// offsets `ProbeSchedule` spreads them over (with its jitter), and how the schedule was kept.
struct LaneSchedule: Sendable {
  let lanes: [ProbeLane]

  /// Sends every periodic result, judged, to `onObservation` (called on a lane's queue).
  func report(to onObservation: @escaping @Sendable (Observation) -> Void, clock: any Clock) {
    for lane in lanes {
      lane.queue.sync {
        lane.clock = clock
        lane.onResult = { key, spec, result, at in
          onObservation(ProbeVerdict.observe(result, spec: spec, key: key, at: at))
        }
      }
    }
  }

  /// Sets the probes to run: new ones start at their schedule offset from now, unchanged ones keep their
  /// rhythm, missing ones stop.
  func update(_ targets: [ProbeTarget]) {
    let schedule = ProbeSchedule(targets.map { ($0.key, $0.spec.interval) })
    let start = DispatchTime.now().uptimeNanoseconds
    var perLane = Array(
      repeating: [(key: SignalKey, spec: HTTPProbeSpec, firstDue: UInt64)](), count: lanes.count)
    for target in targets {
      let offset = ProbeConnection.nanos(schedule.offsets[target.key] ?? 0)
      let lane = Int(ProbeLane.laneHash(target.key.description) % UInt64(lanes.count))
      perLane[lane].append((target.key, target.spec, start + offset))
    }
    for (index, lane) in lanes.enumerated() {
      let targets = perLane[index]
      lane.queue.async { lane.setSchedule(targets) }
    }
  }

  /// Stops every periodic probe (probes in flight finish and still report).
  func stop() {
    for lane in lanes { lane.queue.sync { lane.stopSchedule() } }
  }

  /// How the schedule was kept since the start or the last reset.
  func statistics() -> ProbeStatistics {
    ProbeStatistics.combine(lanes.map { lane in lane.queue.sync { (lane.statistics, lane.inFlight) } })
  }

  /// Starts counting afresh.
  func resetStatistics() {
    for lane in lanes { lane.queue.sync { lane.statistics = ProbeStatistics.Accumulator() } }
  }
}
