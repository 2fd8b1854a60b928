import FailoverCore
import Prometheus

extension SwitchboardMetrics: HeartbeatObserver {
  static var heartbeatsTotal: MetricNameDescriptor {
    .switchboard(
      "heartbeats", unit: "total",
      help: "CloudWatch heartbeat ticks by outcome: published, failed, or skipped (this node is a follower).")
  }

  /// Counts one heartbeat tick by its outcome.
  public func heartbeat(_ outcome: HeartbeatOutcome) {
    let label: String
    switch outcome {
    case .published: label = "published"
    case .failed: label = "failed"
    case .skippedAsFollower: label = "skipped"
    }
    registry.makeCounter(descriptor: Self.heartbeatsTotal, labels: [("outcome", label)]).increment()
  }
}
