import FailoverCore
import Foundation

// Bootstrap: creates or updates what plan reports missing or different.
extension Provisioner {
  /// Creates or updates what `plan` reports missing or different. A second run sends nothing.
  ///
  /// `createZone` also creates a missing hosted zone; otherwise a missing zone is an error.
  public func bootstrap(_ desired: DesiredState, dryRun: Bool = false, createZone: Bool = false) async throws
    -> ProvisionReport
  {
    try validate(desired)
    var observed = try await observe(desired)
    // Refuse before changing anything, so a refusal never leaves half a bootstrap behind.
    for (wanted, have, fields) in assess(desired, observed).differingHealthChecks {
      let immutable = fields.filter { $0.field == "type" || $0.field == "request interval" }
      guard immutable.isEmpty else {
        throw AWSError.invalidRequest(
          "health check \(wanted.key) (\(have.id)) differs in \(immutable.map(\.description).joined(separator: ", ")),"
            + " which Route53 cannot change in place; run teardown, then bootstrap")
      }
    }
    var report = ProvisionReport(dryRun: dryRun)
    if observed.zone == nil {
      guard createZone else {
        throw AWSError.notFound(
          "Route53 has no hosted zone for \(desired.zoneDomain); create it, or run bootstrap with --create-zone."
        )
      }
      report.actions.append("create hosted zone \(desired.zoneDomain)")
      if !dryRun {
        observed.zone = try await route53.createHostedZone(
          name: desired.zoneDomain, callerReference: desired.ownerPrefix + "zone/" + UUID().uuidString,
          comment: "Created by Switchboard")
      }
    }
    let assessment = assess(desired, observed)

    // Health checks first: records and alarms refer to their ids.
    var healthCheckIDs = observed.healthChecks.mapValues(\.id)
    for wanted in assessment.missingHealthChecks {
      report.actions.append("create health check \(wanted.key) (\(Self.summary(wanted.config)))")
      if dryRun {
        healthCheckIDs[wanted.key] = Self.placeholder(wanted.key)
      } else {
        let created = try await route53.createHealthCheck(
          callerReference: desired.ownerPrefix + wanted.key + "/" + UUID().uuidString, config: wanted.config)
        healthCheckIDs[wanted.key] = created.id
        if !wanted.tags.isEmpty { try await route53.changeHealthCheckTags(id: created.id, add: wanted.tags) }
      }
    }
    for (wanted, have, fields) in assessment.differingHealthChecks {
      report.actions.append(
        "update health check \(wanted.key) (\(have.id)): " + fields.map(\.description).joined(separator: "; ")
      )
      if !dryRun {
        if fields.contains(where: { !$0.field.hasPrefix("tag ") }) {
          _ = try await route53.updateHealthCheck(
            id: have.id, Self.update(from: have.config, to: wanted.config))
        }
        if fields.contains(where: { $0.field.hasPrefix("tag ") }) {
          try await route53.changeHealthCheckTags(id: have.id, add: wanted.tags)
        }
      }
    }

    // Records: one atomic batch of UPSERTs (safe to resend if an answer is lost), with the DELETE of every legacy
    // record they replace, so no record under the other name keeps sending traffic.
    var changes = desired.records.compactMap { wanted -> DNSChange? in
      let record = resolve(wanted, healthCheckIDs)
      if let have = observed.records[wanted.identity], Self.differences(have, record).isEmpty { return nil }
      return DNSChange(.upsert, record)
    }
    changes += desired.records.compactMap { wanted in
      wanted.legacyIdentity.flatMap { observed.records[$0] }.map { DNSChange(.delete, $0) }
    }
    if !changes.isEmpty {
      let batch = DNSChangeBatch(
        zoneID: observed.zone?.id ?? Self.placeholder("zone \(desired.zoneDomain)"),
        comment: "Switchboard bootstrap", changes: changes)
      report.changeBatches.append(batch)
      if !dryRun {
        let receipt = try await route53.submit(batch)
        try await route53.waitUntilInSync(
          changeID: receipt.id, timeout: changeTimeout, pollInterval: changePollInterval)
      }
    }

    for misplaced in observed.misplacedAlarms {
      let belongs = place(of: misplaced)
      report.actions.append(
        "delete alarm \(misplaced.name) in \(region(belongs.other)) (it belongs in \(region(belongs)))")
      if !dryRun { try await client(belongs.other).deleteAlarms(names: [misplaced.name]) }
    }
    for wanted in desired.alarms {
      let alarm = resolve(wanted, healthCheckIDs)
      let home = place(of: alarm)
      if let have = observed.alarms[alarm.name] {
        let fields = Self.differences(have, alarm)
        if fields.isEmpty { continue }
        report.actions.append(
          "update alarm \(alarm.name) in \(region(home)): "
            + fields.map(\.description).joined(separator: "; "))
      } else {
        report.actions.append(
          "create alarm \(alarm.name) on \(alarm.namespace) \(alarm.metricName) in \(region(home))")
      }
      if !dryRun { try await client(home).putMetricAlarm(alarm) }
    }
    return report
  }
}
