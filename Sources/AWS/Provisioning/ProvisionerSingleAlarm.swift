import FailoverCore
import Foundation

// One alarm that belongs to no hosted zone (the cluster's heartbeat alarm), in the configured region.
extension Provisioner {
  /// The differences between CloudWatch and `alarm` (missing, or fields that differ); empty when it matches.
  public func plan(alarm: MetricAlarm) async throws -> [Drift] {
    guard let have = try await cloudWatch.describeAlarms(names: [alarm.name]).first?.alarm else {
      return [Drift(resourceType: "alarm", resource: alarm.name, kind: .missing)]
    }
    let fields = Self.differences(have, alarm)
    return fields.isEmpty ? [] : [Drift(resourceType: "alarm", resource: alarm.name, kind: .differs(fields))]
  }

  /// Creates `alarm`, or replaces its definition when it differs; sends nothing when it matches.
  public func bootstrap(alarm: MetricAlarm, dryRun: Bool = false) async throws -> ProvisionReport {
    var report = ProvisionReport(dryRun: dryRun)
    let home = cloudWatch.query.executor.endpoint.region
    if let have = try await cloudWatch.describeAlarms(names: [alarm.name]).first?.alarm {
      let fields = Self.differences(have, alarm)
      guard !fields.isEmpty else { return report }
      report.actions.append(
        "update alarm \(alarm.name) in \(home): " + fields.map(\.description).joined(separator: "; "))
    } else {
      report.actions.append("create alarm \(alarm.name) on \(alarm.namespace) \(alarm.metricName) in \(home)")
    }
    if !dryRun { try await cloudWatch.putMetricAlarm(alarm) }
    return report
  }

  /// Deletes the alarm named `name` when it exists.
  public func teardown(alarmNamed name: String, dryRun: Bool = false) async throws -> ProvisionReport {
    var report = ProvisionReport(dryRun: dryRun)
    guard try await !cloudWatch.describeAlarms(names: [name]).isEmpty else { return report }
    report.actions.append("delete alarm \(name) in \(cloudWatch.query.executor.endpoint.region)")
    if !dryRun { try await cloudWatch.deleteAlarms(names: [name]) }
    return report
  }
}
