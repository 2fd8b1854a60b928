import Foundation

/// A CloudWatch metric alarm as Switchboard creates and compares it (PutMetricAlarm's fields).
public struct MetricAlarm: Sendable, Hashable, Codable {
  /// The alarm name (unique per account and region).
  public var name: String
  /// Free text shown with the alarm.
  public var description: String?
  /// The metric's namespace (`AWS/Route53`, `Switchboard`).
  public var namespace: String
  /// The metric's name (`HealthCheckStatus`).
  public var metricName: String
  /// The metric's dimensions (`HealthCheckId` = id).
  public var dimensions: [String: String]
  /// `Minimum`, `Maximum`, `Average`, `Sum` or `SampleCount`.
  public var statistic: String
  /// Seconds per evaluated period.
  public var period: Int
  /// Periods considered when evaluating.
  public var evaluationPeriods: Int
  /// Breaching data points (of `evaluationPeriods`) that set ALARM; nil means all.
  public var datapointsToAlarm: Int?
  /// The value the statistic is compared with.
  public var threshold: Double
  /// `LessThanThreshold`, `GreaterThanOrEqualToThreshold`, ...
  public var comparisonOperator: String
  /// `missing`, `notBreaching`, `breaching` or `ignore`.
  public var treatMissingData: String?
  /// ARNs notified on ALARM.
  public var alarmActions: [String]
  /// ARNs notified on OK.
  public var okActions: [String]
  /// Whether the actions run.
  public var actionsEnabled: Bool

  /// A metric alarm; see the fields for their meaning.
  public init(
    name: String, description: String? = nil, namespace: String, metricName: String,
    dimensions: [String: String] = [:], statistic: String, period: Int, evaluationPeriods: Int,
    datapointsToAlarm: Int? = nil, threshold: Double, comparisonOperator: String,
    treatMissingData: String? = nil,
    alarmActions: [String] = [], okActions: [String] = [], actionsEnabled: Bool = true
  ) {
    self.name = name
    self.description = description
    self.namespace = namespace
    self.metricName = metricName
    self.dimensions = dimensions
    self.statistic = statistic
    self.period = period
    self.evaluationPeriods = evaluationPeriods
    self.datapointsToAlarm = datapointsToAlarm
    self.threshold = threshold
    self.comparisonOperator = comparisonOperator
    self.treatMissingData = treatMissingData
    self.alarmActions = alarmActions
    self.okActions = okActions
    self.actionsEnabled = actionsEnabled
  }

  /// The seed's alarm on a Route53 health check: HealthCheckStatus Minimum < 1 over 2 periods of 60 s.
  public static func healthCheckStatus(name: String, healthCheckID: String, description: String? = nil)
    -> MetricAlarm
  {
    MetricAlarm(
      name: name, description: description, namespace: "AWS/Route53", metricName: "HealthCheckStatus",
      dimensions: ["HealthCheckId": healthCheckID], statistic: "Minimum", period: 60, evaluationPeriods: 2,
      threshold: 1, comparisonOperator: "LessThanThreshold")
  }
}

/// An alarm as DescribeAlarms returns it: its definition and its state.
public struct DescribedAlarm: Sendable, Hashable {
  /// The alarm's definition.
  public var alarm: MetricAlarm
  /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
  public var state: String
  /// Why the alarm is in its state, in CloudWatch's words.
  public var stateReason: String
  /// When the state last changed.
  public var stateUpdatedAt: Date?
}
