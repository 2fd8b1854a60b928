import Foundation

/// A CloudWatch metric alarm as Switchboard creates and compares it (PutMetricAlarm's fields).
public struct MetricAlarm: Sendable, Hashable, Codable {
  public var name: String
  public var description: String?
  public var namespace: String
  public var metricName: String
  public var dimensions: [String: String]
  /// `Minimum`, `Maximum`, `Average`, `Sum` or `SampleCount`.
  public var statistic: String
  public var period: Int
  public var evaluationPeriods: Int
  public var datapointsToAlarm: Int?
  public var threshold: Double
  /// `LessThanThreshold`, `GreaterThanOrEqualToThreshold`, ...
  public var comparisonOperator: String
  /// `missing`, `notBreaching`, `breaching` or `ignore`.
  public var treatMissingData: String?
  public var alarmActions: [String]
  public var okActions: [String]
  public var actionsEnabled: Bool

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
  public var alarm: MetricAlarm
  public var state: String
  public var stateReason: String
  public var stateUpdatedAt: Date?
}

/// One GetMetricData query: a metric, a statistic and a period.
public struct MetricQuery: Sendable, Hashable {
  /// Lower-case identifier of the query in the answer.
  public var id: String
  public var namespace: String
  public var metricName: String
  public var dimensions: [String: String]
  public var period: Int
  public var statistic: String

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
  public var id: String
  public var label: String
  public var points: [(timestamp: Date, value: Double)]
  public var statusCode: String

  public static func == (lhs: MetricSeries, rhs: MetricSeries) -> Bool {
    lhs.id == rhs.id && lhs.label == rhs.label && lhs.statusCode == rhs.statusCode
      && lhs.points.map(\.timestamp) == rhs.points.map(\.timestamp)
      && lhs.points.map(\.value) == rhs.points.map(\.value)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(points.map(\.value))
  }
}
