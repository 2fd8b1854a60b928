import FailoverCore
import Foundation

// Assessment: the drifts between the desired state and what was observed.
extension Provisioner {
  struct Assessment {
    var drifts: [Drift] = []
    var missingHealthChecks: [DesiredHealthCheck] = []
    var differingHealthChecks: [(DesiredHealthCheck, HealthCheck, [FieldDifference])] = []
  }

  func assess(_ desired: DesiredState, _ observed: Observed) -> Assessment {
    var result = Assessment()
    if observed.zone == nil {
      result.drifts.append(Drift(resourceType: "hosted zone", resource: desired.zoneDomain, kind: .missing))
    }
    var ids: [String: String] = [:]
    for wanted in desired.healthChecks {
      guard let have = observed.healthChecks[wanted.key] else {
        result.missingHealthChecks.append(wanted)
        result.drifts.append(Drift(resourceType: "health check", resource: wanted.key, kind: .missing))
        ids[wanted.key] = Self.placeholder(wanted.key)
        continue
      }
      ids[wanted.key] = have.id
      let haveTags = observed.healthCheckTags[have.id] ?? [:]
      let tagFields = wanted.tags.keys.sorted().compactMap { key -> FieldDifference? in
        haveTags[key] == wanted.tags[key]
          ? nil : FieldDifference(field: "tag \(key)", have: haveTags[key] ?? "none", want: wanted.tags[key]!)
      }
      let fields = Self.differences(have.config, wanted.config) + tagFields
      if !fields.isEmpty {
        result.differingHealthChecks.append((wanted, have, fields))
        result.drifts.append(
          Drift(resourceType: "health check", resource: "\(wanted.key) (\(have.id))", kind: .differs(fields)))
      }
    }
    for extra in observed.extraHealthChecks {
      result.drifts.append(
        Drift(
          resourceType: "health check", resource: "\(extra.id) (\(extra.callerReference))", kind: .extraOwned)
      )
    }
    for wanted in desired.records {
      let record = resolve(wanted, ids)
      guard let have = observed.records[wanted.identity] else {
        result.drifts.append(
          Drift(resourceType: "record", resource: wanted.identity.description, kind: .missing))
        continue
      }
      let fields = Self.differences(have, record)
      if !fields.isEmpty {
        result.drifts.append(
          Drift(resourceType: "record", resource: wanted.identity.description, kind: .differs(fields)))
      }
    }
    for wanted in desired.records {
      guard let legacy = wanted.legacyIdentity, observed.records[legacy] != nil else { continue }
      result.drifts.append(
        Drift(
          resourceType: "record", resource: legacy.description,
          kind: .legacy(replacedBy: "set \(wanted.record.setIdentifier ?? "none")")))
    }
    let desiredAlarmNames = Set(desired.alarms.map(\.alarm.name))
    for wanted in desired.alarms {
      let alarm = resolve(wanted, ids)
      guard let have = observed.alarms[alarm.name] else {
        result.drifts.append(Drift(resourceType: "alarm", resource: alarm.name, kind: .missing))
        continue
      }
      let fields = Self.differences(have, alarm)
      if !fields.isEmpty {
        result.drifts.append(Drift(resourceType: "alarm", resource: alarm.name, kind: .differs(fields)))
      }
    }
    for name in observed.alarms.keys.sorted() where !desiredAlarmNames.contains(name) {
      result.drifts.append(Drift(resourceType: "alarm", resource: name, kind: .extraOwned))
    }
    for alarm in observed.misplacedAlarms {
      let belongs = place(of: alarm)
      result.drifts.append(
        Drift(
          resourceType: "alarm", resource: alarm.name,
          kind: .misplaced(found: region(belongs.other), belongs: region(belongs))))
    }
    return result
  }

  func resolve(_ wanted: DesiredRecord, _ ids: [String: String]) -> DNSRecord {
    var record = wanted.record
    if let key = wanted.healthCheckKey { record.healthCheckID = ids[key] ?? Self.placeholder(key) }
    return record
  }

  func resolve(_ wanted: DesiredAlarm, _ ids: [String: String]) -> MetricAlarm {
    var alarm = wanted.alarm
    if let key = wanted.healthCheckKey {
      alarm.dimensions["HealthCheckId"] = ids[key] ?? Self.placeholder(key)
    }
    return alarm
  }
}
