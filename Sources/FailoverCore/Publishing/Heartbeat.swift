import Foundation

/// The metric that says "a Switchboard node is alive and leading": the leader (or the single node) publishes it to
/// CloudWatch every `cluster.heartbeat_interval`, and the alarm `bootstrap` creates on it fires when it stops.
public enum Heartbeat {
  /// The CloudWatch namespace of the heartbeat (the one the shipped IAM policy allows publishing to).
  public static let namespace = "Switchboard"
  /// The metric's name.
  public static let metricName = "Heartbeat"
  /// The dimension that names the cluster.
  public static let clusterDimension = "Cluster"

  /// One heartbeat of `cluster` at `now`: value 1, unit Count, dimension `Cluster=<cluster>`.
  public static func datum(cluster: String, at now: Date) -> MetricDatum {
    MetricDatum(
      name: metricName, dimensions: [clusterDimension: cluster], value: 1, unit: "Count", timestamp: now)
  }

  /// The name of the alarm on a cluster's heartbeat (`switchboard-<cluster>-heartbeat`).
  public static func alarmName(cluster: String) -> String { "switchboard-\(cluster)-heartbeat" }
}
