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

/// One GetMetricData query: a metric, a statistic and a period.
public struct MetricQuery: Sendable, Hashable {
  /// Lower-case identifier of the query in the answer.
  public var id: String
  /// The metric's namespace (`AWS/Route53`, `Switchboard`).
  public var namespace: String
  /// The metric's name (`HealthCheckStatus`).
  public var metricName: String
  /// The metric's dimensions (`HealthCheckId` = id).
  public var dimensions: [String: String]
  /// Seconds per evaluated period.
  public var period: Int
  /// `Minimum`, `Maximum`, `Average`, `Sum`, `SampleCount` or a percentile.
  public var statistic: String

  /// A metric alarm; see the fields for their meaning.
  public init(
    id: String, namespace: String, metricName: String, dimensions: [String: String] = [:], period: Int,
    statistic: String
  ) {
    self.id = id
    self.namespace = namespace
    self.metricName = metricName
    self.dimensions = dimensions
    self.period = period
    self.statistic = statistic
  }
}

/// The values GetMetricData returned for one query.
public struct MetricSeries: Sendable, Hashable {
  /// The query id the values belong to.
  public var id: String
  /// CloudWatch's label for the series.
  public var label: String
  /// The values, with their timestamps.
  public var points: [(timestamp: Date, value: Double)]
  /// `Complete`, or `PartialData` when more pages were needed.
  public var statusCode: String

  /// Equal when id, label, status and every point match.
  public static func == (lhs: MetricSeries, rhs: MetricSeries) -> Bool {
    lhs.id == rhs.id && lhs.label == rhs.label && lhs.statusCode == rhs.statusCode
      && lhs.points.map(\.timestamp) == rhs.points.map(\.timestamp)
      && lhs.points.map(\.value) == rhs.points.map(\.value)
  }

  /// Hashes the id and the values.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(points.map(\.value))
  }
}
