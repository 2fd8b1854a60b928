import ArgumentParser

/// What `switchboard status` exits with, in the Nagios plugin convention, so a monitoring check can run it as is:
/// the worst service decides.
enum StatusExitCode: Int32 {
  /// Every service is healthy (Nagios OK).
  case healthy = 0
  /// Some service is degraded, none worse (Nagios WARNING).
  case degraded = 1
  /// Some service is unhealthy where its traffic goes: users see an outage (Nagios CRITICAL).
  case outage = 2
  /// The server did not answer, refused the request, or some service's health is unknown (Nagios UNKNOWN).
  case unknown = 3

  /// The verdict for the `health` of each service (`healthy`, `degraded`, `unknown`, `unhealthy`): an outage
  /// anywhere outranks an unknown service, which outranks a degraded one; no service at all is healthy.
  static func verdict(serviceHealths: [String]) -> StatusExitCode {
    let verdicts = serviceHealths.map { health -> StatusExitCode in
      switch health {
      case "healthy": .healthy
      case "degraded": .degraded
      case "unhealthy": .outage
      default: .unknown
      }
    }
    if verdicts.contains(.outage) { return .outage }
    if verdicts.contains(.unknown) { return .unknown }
    if verdicts.contains(.degraded) { return .degraded }
    return .healthy
  }

  /// The code for ArgumentParser to exit with.
  var exitCode: ExitCode { ExitCode(rawValue) }
}
