import FailoverCore
import Foundation

// Teardown: removes what bootstrap created (owner-prefixed resources and the desired records).
extension Provisioner {
  /// Removes the desired records that exist, and every health check, alarm and hosted zone carrying the owner
  /// prefix. Leaves everything else alone.
  public func teardown(_ desired: DesiredState, dryRun: Bool = false) async throws -> ProvisionReport {
    try validate(desired)
    let observed = try await observe(desired)
    var report = ProvisionReport(dryRun: dryRun)
    if let zone = observed.zone {
      let identities = desired.records.flatMap { [$0.identity] + ($0.legacyIdentity.map { [$0] } ?? []) }
      let deletions = identities.compactMap { identity in
        observed.records[identity].map { DNSChange(.delete, $0) }
      }
      if !deletions.isEmpty {
        let batch = DNSChangeBatch(zoneID: zone.id, comment: "Switchboard teardown", changes: deletions)
        report.changeBatches.append(batch)
        if !dryRun {
          let receipt = try await route53.submit(batch)
          try await route53.waitUntilInSync(
            changeID: receipt.id, timeout: changeTimeout, pollInterval: changePollInterval)
        }
      }
    }
    // Each alarm is deleted in the region it was found in (misplaced ones included).
    let found =
      observed.alarms.values.map { ($0.name, place(of: $0)) }
      + observed.misplacedAlarms.map { ($0.name, place(of: $0).other) }
    for place in places {
      let names = found.filter { $0.1 == place }.map(\.0).sorted()
      guard !names.isEmpty else { continue }
      report.actions.append("delete alarms \(names.joined(separator: ", ")) in \(region(place))")
      if !dryRun { try await client(place).deleteAlarms(names: names) }
    }
    let owned = observed.healthChecks.sorted { $0.key < $1.key }.map(\.value) + observed.extraHealthChecks
    for check in owned {
      report.actions.append("delete health check \(check.id) (\(check.callerReference))")
      if !dryRun { try await route53.deleteHealthCheck(id: check.id) }
    }
    if let zone = observed.zone, zone.callerReference.hasPrefix(desired.ownerPrefix + "zone/") {
      let remaining = dryRun ? [] : try await route53.listResourceRecordSets(zoneID: zone.id)
      if remaining.allSatisfy({ $0.type == "SOA" || $0.type == "NS" }) {
        report.actions.append("delete hosted zone \(zone.name) (\(zone.id)), created by bootstrap")
        if !dryRun { try await route53.deleteHostedZone(id: zone.id) }
      } else {
        report.actions.append("keep hosted zone \(zone.name): it holds records Switchboard did not create")
      }
    }
    return report
  }
}
