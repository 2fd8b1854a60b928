import FailoverCore
import Foundation
import Prometheus
import Switchboard

extension SwitchboardMetrics: DrillObserver {
  static var drillRunsTotal: MetricNameDescriptor {
    .switchboard(
      "drill_runs", unit: "total",
      help: "Drill runs that ended, by mode and outcome (succeeded, failed, aborted, skipped).")
  }
  static var drillRecovery: MetricNameDescriptor {
    .switchboard(
      "drill_last_recovery", unit: "seconds",
      help: "The last recovery time a live drill measured, decision to verified, by service.")
  }
  /// Counts an ended run and, for a live run that moved traffic, sets each service's last recovery time.
  public func drillRunEnded(_ run: DrillRun) {
    registry.makeCounter(
      descriptor: Self.drillRunsTotal, labels: [("mode", run.mode.rawValue), ("outcome", run.state.rawValue)]
    ).increment()
    for move in run.moves {
      guard let recovery = move.failover?.recoverySeconds else { continue }
      registry.makeGauge(descriptor: Self.drillRecovery, labels: [("service", move.service.rawValue)]).set(
        recovery)
    }
  }
}
