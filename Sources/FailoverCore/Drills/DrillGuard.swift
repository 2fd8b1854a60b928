import Foundation

/// The guard-rail verdicts: the blocking checks that prevent a start, and the abort checks that end a running drill
/// and fail back at once. Pure: it takes what was seen and returns every check with its verdict.
public enum DrillGuard {
  /// Every blocking check for one service before a start, in a stable order; the run starts only if all pass.
  /// `otherDrill` names another drill running on the service, if any.
  public static func blockingChecks(
    _ situation: DrillSituation, target: RegionID, alarms: [String], readings: [String: AlarmReading]?,
    otherDrill: String?, at now: Date
  ) -> [DrillCheck] {
    let service = situation.service
    var checks = alarmChecks(alarms, readings: readings, stopsWhat: "prevents the start", at: now)
    checks.append(
      DrillCheck(
        name: "target_health", passed: situation.targetHealth == .healthy,
        detail: "\(target) is \(situation.targetHealth.rawValue) for \(service)"
          + (situation.targetHealthReason.isEmpty ? "." : " (\(situation.targetHealthReason))."),
        at: now))
    checks.append(
      DrillCheck(
        name: "freeze", passed: situation.freeze == nil,
        detail: situation.freeze.map { "A freeze is in effect: \($0)." }
          ?? "No freeze applies to \(service).",
        at: now))
    let failedOver = situation.activeRegion == nil || situation.activeRegion != situation.primary
    checks.append(
      DrillCheck(
        name: "already_failed_over", passed: !failedOver,
        detail: failedOver
          ? "\(service) is not on its primary (\(situation.primary?.rawValue ?? "none")): it is already failed over."
          : "\(service) is on its primary \(situation.primary?.rawValue ?? "").",
        at: now))
    checks.append(
      DrillCheck(
        name: "other_drill", passed: otherDrill == nil,
        detail: otherDrill.map { "Drill \($0) is already running on \(service)." }
          ?? "No other drill runs on \(service).", at: now))
    checks.append(
      DrillCheck(
        name: "workflow_in_flight", passed: situation.workflowInFlight == nil,
        detail: situation.workflowInFlight.map { "Workflow \($0) is moving \(service) now." }
          ?? "No workflow is moving \(service).", at: now))
    return checks
  }

  /// The first abort check that trips during a run (outcome alarm in ALARM, target unhealthy); nil when the drill
  /// may go on. An `unknown` target (no verdict yet, as right after a restart) does not abort: only a verdict does.
  public static func abortCheck(
    _ situation: DrillSituation, target: RegionID, outcomeAlarms: [String], readings: [String: AlarmReading]?,
    at now: Date
  ) -> DrillCheck? {
    if let alarm = alarmChecks(outcomeAlarms, readings: readings, stopsWhat: "aborts the drill", at: now)
      .first(where: { !$0.passed })
    {
      return alarm
    }
    guard situation.targetHealth != .unhealthy else {
      return DrillCheck(
        name: "target_health", passed: false,
        detail:
          "\(target) became \(situation.targetHealth.rawValue) for \(situation.service) during the drill"
          + (situation.targetHealthReason.isEmpty ? "." : " (\(situation.targetHealthReason))."),
        at: now)
    }
    return nil
  }

  /// One check per alarm: in ALARM fails it; an alarm that cannot be read (or does not exist) fails it too, since
  /// a guard rail nobody can see is no guard rail.
  static func alarmChecks(
    _ names: [String], readings: [String: AlarmReading]?, stopsWhat: String, at now: Date
  ) -> [DrillCheck] {
    names.map { name in
      guard let readings else {
        return DrillCheck(
          name: "alarm:\(name)", passed: false,
          detail:
            "Alarm \(name) cannot be read (no alarm source, or CloudWatch refused); the drill does not go on.",
          at: now)
      }
      guard let reading = readings[name] else {
        return DrillCheck(
          name: "alarm:\(name)", passed: false, detail: "Alarm \(name) does not exist.", at: now)
      }
      let alarming = reading.state == .alarm
      return DrillCheck(
        name: "alarm:\(name)", passed: !alarming,
        detail: alarming
          ? "Alarm \(name) is in ALARM (\(reading.reason)), which \(stopsWhat)."
          : "Alarm \(name) is \(reading.state.rawValue).",
        at: now)
    }
  }
}
