import Foundation

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
