import AWS
import Configuration
import FailoverCore

/// The alarm on the cluster's heartbeat that `bootstrap` creates: if no node publishes `Switchboard Heartbeat`
/// (`Cluster=<name>`) for three minutes, it goes to ALARM and notifies `aws.sns_topic_arn`.
public enum HeartbeatAlarm {
  /// The alarm for a configuration: SampleCount of the heartbeat over 60 s periods, ALARM when below 1 in 3 of 3
  /// periods, missing data breaching; alarm and OK actions notify the configured SNS topic, when there is one.
  public static func alarm(config: SwitchboardConfig) -> MetricAlarm {
    let cluster = config.cluster.name
    let topics = config.aws.snsTopicARN.map { $0.isEmpty ? [] : [$0] } ?? []
    return MetricAlarm(
      name: Heartbeat.alarmName(cluster: cluster),
      description:
        "Switchboard: no heartbeat from cluster \(cluster) for 3 minutes (every node stopped or cut off)",
      namespace: Heartbeat.namespace, metricName: Heartbeat.metricName,
      dimensions: [Heartbeat.clusterDimension: cluster], statistic: "SampleCount", period: 60,
      evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 1, comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching", alarmActions: topics, okActions: topics)
  }

  /// The sentence `plan` and `bootstrap` print when the alarm would tell nobody (no `aws.sns_topic_arn`), else nil.
  public static func silenceWarning(config: SwitchboardConfig) -> String? {
    guard alarm(config: config).alarmActions.isEmpty else { return nil }
    return "The heartbeat alarm \(Heartbeat.alarmName(cluster: config.cluster.name)) has no action: "
      + "aws.sns_topic_arn is not set, so nobody would be told when every Switchboard node stops."
  }
}
