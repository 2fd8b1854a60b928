import Foundation

/// Interprets CloudWatch alarm states and Route53 health-check verdicts as observations.
public enum AlarmVerdict {
  /// The observation for one alarm reading; a missing alarm is unknown.
  public static func observe(_ reading: AlarmReading?, spec: AlarmSignalSpec, key: SignalKey, at: Date)
    -> Observation
  {
    guard let reading else {
      return Observation(
        signal: key, status: .unknown, reason: "Alarm \(spec.alarmName) does not exist.", at: at)
    }
    switch reading.state {
    case .ok:
      return Observation(signal: key, status: .healthy, reason: "Alarm \(spec.alarmName) is OK.", at: at)
    case .alarm:
      return Observation(
        signal: key, status: .unhealthy, reason: "Alarm \(spec.alarmName) is in ALARM: \(reading.reason)",
        at: at)
    case .insufficientData:
      let status: HealthStatus =
        switch spec.insufficientDataMeans {
        case .healthy: .healthy
        case .unhealthy: .unhealthy
        case .unknown, .lastKnown: .unknown
        }
      let meaning =
        spec.insufficientDataMeans == .lastKnown
        ? "the last known state is kept" : "configured to mean \(spec.insufficientDataMeans.rawValue)"
      return Observation(
        signal: key, status: status, reason: "Alarm \(spec.alarmName) has insufficient data; \(meaning).",
        at: at,
        keepsLastVerdict: spec.insufficientDataMeans == .lastKnown)
    }
  }

  /// The observation for a Route53 health check's verdict across its checkers.
  public static func observe(_ verdict: HealthCheckVerdict, key: SignalKey, at: Date) -> Observation {
    let counts = "\(verdict.healthyCheckers) of \(verdict.totalCheckers) checkers healthy"
    if verdict.isHealthy {
      return Observation(
        signal: key, status: .healthy, reason: "Route53 health check \(verdict.healthCheckID): \(counts).",
        at: at)
    }
    return Observation(
      signal: key, status: .unhealthy,
      reason: "Route53 health check \(verdict.healthCheckID): \(counts); \(verdict.detail)", at: at)
  }
}
