import FailoverCore

/// Runs periodic probes on a prober's lanes and hands each observation to a callback: the prober's schedule
/// with statistics, for the benchmark and tests (the engine goes through the `Prober` port instead).
public final class ProbeRunner: Sendable {
  /// The prober whose lanes run the probes.
  public let prober: HTTPProber
  private let schedule: LaneSchedule

  /// A runner that reports every observation to `onObservation` (called on a lane's queue; keep it short).
  public init(
    prober: HTTPProber, clock: any Clock = SystemClock(),
    onObservation: @escaping @Sendable (Observation) -> Void
  ) {
    self.prober = prober
    schedule = LaneSchedule(lanes: prober.lanes)
    schedule.report(to: onObservation, clock: clock)
  }

  /// Sets the probes to run: new ones start at their schedule offset from now, unchanged ones keep their
  /// rhythm, missing ones stop.
  public func update(_ targets: [ProbeTarget]) { schedule.update(targets) }

  /// Stops every periodic probe (probes in flight finish and still report).
  public func stop() { schedule.stop() }

  /// How the schedule was kept since the start or the last reset.
  public func statistics() -> ProbeStatistics { schedule.statistics() }

  /// Starts counting afresh.
  public func resetStatistics() { schedule.resetStatistics() }
}
