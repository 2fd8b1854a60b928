import Foundation

/// One metric observation to publish (CloudWatch PutMetricData semantics).
public struct MetricDatum: Sendable, Hashable, Codable {
  public var name: String
  public var dimensions: [String: String]
  public var value: Double
  /// CloudWatch unit name: "Count", "Seconds", "Milliseconds", "None", ...
  public var unit: String
  public var timestamp: Date
  public init(
    name: String, dimensions: [String: String] = [:], value: Double, unit: String = "None", timestamp: Date
  ) {
    self.name = name
    self.dimensions = dimensions
    self.value = value
    self.unit = unit
    self.timestamp = timestamp
  }
}

/// Where Switchboard publishes its own metrics (CloudWatch in production).
public protocol MetricsProvider: Sendable {
  func publish(namespace: String, _ data: [MetricDatum]) async throws
}
