import Foundation

/// Interprets CloudWatch alarm states and Route53 health-check verdicts as observations. A reason says what the
/// signal reads, not its name: the name ("alarm NAME", "route53 health check ID") stands beside it where shown.
public enum AlarmVerdict {
  /// The observation for one alarm reading; a missing alarm is unknown.
  public static func observe(_ reading: AlarmReading?, spec: AlarmSignalSpec, key: SignalKey, at: Date)
    -> Observation
  {
    guard let reading else {
      return Observation(
        signal: key, status: .unknown, reason: "does not exist in CloudWatch.", at: at)
    }
    switch reading.state {
    case .ok:
      return Observation(signal: key, status: .healthy, reason: "OK.", at: at)
    case .alarm:
      return Observation(
        signal: key, status: .unhealthy,
        reason: reading.reason.isEmpty ? "in ALARM." : "in ALARM; CloudWatch says: \(reading.reason)", at: at)
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
        signal: key, status: status, reason: "insufficient data; \(meaning).",
        at: at,
        keepsLastVerdict: spec.insufficientDataMeans == .lastKnown)
    }
  }

  /// The observation for a Route53 health check's verdict across its checkers.
  public static func observe(_ verdict: HealthCheckVerdict, key: SignalKey, at: Date) -> Observation {
    let counts = "\(verdict.healthyCheckers) of \(verdict.totalCheckers) checkers healthy"
    if verdict.isHealthy {
      return Observation(
        signal: key, status: .healthy, reason: "\(counts).", at: at)
    }
    return Observation(
      signal: key, status: .unhealthy,
      reason: "\(counts); \(verdict.detail)", at: at)
  }
}
