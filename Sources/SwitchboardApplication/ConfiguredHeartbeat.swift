import AWS
import Configuration
import FailoverCore
import Logging
import Switchboard
import Telemetry

/// Logs a failed heartbeat (with CloudWatch's reason) and counts every outcome in Prometheus.
struct HeartbeatReporter: HeartbeatObserver {
  let metrics: SwitchboardMetrics
  let logger = Logger(label: "switchboard.heartbeat")

  func heartbeat(_ outcome: HeartbeatOutcome) {
    metrics.heartbeat(outcome)
    if case .failed(let reason) = outcome {
      logger.warning(
        """
        The CloudWatch heartbeat could not be published (the next tick tries again; the heartbeat alarm fires \
        after three missed minutes): \(reason)
        """)
    }
  }
}

extension HeartbeatPublisher {
  /// The heartbeat a configuration asks for: to CloudWatch every `cluster.heartbeat_interval` when the
  /// configuration uses AWS (the same rule as the workflows' metrics: no AWS in the file means no AWS calls),
  /// else nil. `isLeader` says whether this node leads (always true for a single node).
  public static func configured(
    config: SwitchboardConfig, clients: AWSClients, metrics: SwitchboardMetrics, clock: any Clock,
    isLeader: @escaping @Sendable () -> Bool = { true }
  ) -> HeartbeatPublisher? {
    guard AWSDependencies.publishesMetrics(config) else { return nil }
    return HeartbeatPublisher(
      metrics: clients.cloudWatch, cluster: config.cluster.name, interval: config.cluster.heartbeatInterval,
      isLeader: isLeader, clock: clock, observer: HeartbeatReporter(metrics: metrics))
  }
}
