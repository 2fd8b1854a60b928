import Foundation

/// The state of a CloudWatch alarm.
public enum AlarmState: String, Sendable, Hashable, Codable {
  case ok = "OK"
  case alarm = "ALARM"
  case insufficientData = "INSUFFICIENT_DATA"
}

/// One alarm's state as read from the alarm service.
public struct AlarmReading: Sendable, Hashable, Codable {
  public var name: String
  public var state: AlarmState
  public var reason: String
  public var updatedAt: Date?
  public init(name: String, state: AlarmState, reason: String, updatedAt: Date?) {
    self.name = name
    self.state = state
    self.reason = reason
    self.updatedAt = updatedAt
  }
}

/// Reads alarm states (CloudWatch DescribeAlarms in production).
public protocol AlarmSource: Sendable {
  /// The current state of each named alarm that exists; missing alarms are absent from the result.
  func alarmStates(names: [String]) async throws -> [String: AlarmReading]
}

/// The verdict of a Route53 health check across its checkers.
public struct HealthCheckVerdict: Sendable, Hashable, Codable {
  public var healthCheckID: String
  /// Checkers that reported success.
  public var healthyCheckers: Int
  public var totalCheckers: Int
  /// Route53 considers the endpoint healthy when more than 18% of checkers do.
  public var isHealthy: Bool { totalCheckers > 0 && Double(healthyCheckers) / Double(totalCheckers) > 0.18 }
  /// The most recent checker report, in words.
  public var detail: String
  public init(healthCheckID: String, healthyCheckers: Int, totalCheckers: Int, detail: String) {
    self.healthCheckID = healthCheckID
    self.healthyCheckers = healthyCheckers
    self.totalCheckers = totalCheckers
    self.detail = detail
  }
}

/// Reads Route53 health-check status.
public protocol HealthCheckStatusSource: Sendable {
  func healthCheckVerdict(id: String) async throws -> HealthCheckVerdict
}
