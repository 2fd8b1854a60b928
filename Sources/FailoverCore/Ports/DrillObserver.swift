/// Hears of drill runs that ended (metrics: drills by outcome, last measured recovery time per service).
public protocol DrillObserver: Sendable {
  /// A run ended (succeeded, failed, aborted or skipped); called once per run.
  func drillRunEnded(_ run: DrillRun)
}
