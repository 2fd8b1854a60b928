import FailoverCore
import Foundation

/// What Switchboard needs in Route53 and CloudWatch for a configuration: the input of plan, bootstrap and
/// teardown. Health checks are named by a key so records and alarms can refer to them before they exist.
public struct DesiredState: Sendable, Hashable {
  /// The hosted zone's domain (`example.com`).
  public var zoneDomain: String
  /// The hosted zone's id when the configuration names it (`hosted_zone_id`): that zone is used, and a zone of
  /// another name or none at all is an error; nil to find the zone by `zoneDomain` (public zones first).
  public var zoneID: String?
  /// Where `zoneID` comes from (`config.yaml:12:5`), named in the error when Route53 disagrees with it.
  public var zoneIDOrigin: String?
  /// Marks what bootstrap creates: health-check and hosted-zone CallerReferences start with it, alarm names
  /// must start with it. Teardown removes only resources that carry it (and the desired records).
  public var ownerPrefix: String
  /// The health checks to exist, named by key.
  public var healthChecks: [DesiredHealthCheck]
  /// The record sets to exist.
  public var records: [DesiredRecord]
  /// The alarms to exist (names start with `ownerPrefix`).
  public var alarms: [DesiredAlarm]

  /// A desired state; `ownerPrefix` defaults to `switchboard-`.
  public init(
    zoneDomain: String, zoneID: String? = nil, zoneIDOrigin: String? = nil,
    ownerPrefix: String = "switchboard-",
    healthChecks: [DesiredHealthCheck] = [], records: [DesiredRecord] = [], alarms: [DesiredAlarm] = []
  ) {
    self.zoneDomain = zoneDomain
    self.zoneID = zoneID
    self.zoneIDOrigin = zoneIDOrigin
    self.ownerPrefix = ownerPrefix
    self.healthChecks = healthChecks
    self.records = records
    self.alarms = alarms
  }

  /// Problems that make the state unusable, in words (empty when it is fine).
  public func problems() -> [String] {
    var problems: [String] = []
    if ownerPrefix.isEmpty { problems.append("the owner prefix must not be empty") }
    let keys = healthChecks.map(\.key)
    if Set(keys).count != keys.count { problems.append("health-check keys must be unique") }
    for record in records {
      if let key = record.healthCheckKey, !keys.contains(key) {
        problems.append("record \(record.record.name) refers to unknown health check \(key)")
      }
    }
    let recordIDs = records.map(\.identity)
    if Set(recordIDs).count != recordIDs.count {
      problems.append("two records share a name, type and set identifier")
    }
    for alarm in alarms {
      if !alarm.alarm.name.hasPrefix(ownerPrefix) {
        problems.append("alarm \(alarm.alarm.name) must start with the owner prefix \(ownerPrefix)")
      }
      if let key = alarm.healthCheckKey, !keys.contains(key) {
        problems.append("alarm \(alarm.alarm.name) refers to unknown health check \(key)")
      }
    }
    return problems
  }
}

/// A Route53 health check Switchboard owns, named by a stable key (for example `api-us-east-1`).
public struct DesiredHealthCheck: Sendable, Hashable {
  /// The stable name records and alarms refer to (e.g. `api-us-east-1`).
  public var key: String
  /// What the health check probes and how.
  public var config: HealthCheckConfig
  /// Tags bootstrap sets (the console shows `Name`); tags not listed here are left alone.
  public var tags: [String: String]

  /// `tags` defaults to `Name` = key, as the seed recipe names its health checks.
  public init(key: String, config: HealthCheckConfig, tags: [String: String]? = nil) {
    self.key = key
    self.config = config
    self.tags = tags ?? ["Name": key]
  }
}

/// A record set; `healthCheckKey` attaches one of the desired health checks (its id is filled in).
public struct DesiredRecord: Sendable, Hashable {
  /// The record set, with `healthCheckID` filled in from `healthCheckKey`.
  public var record: DNSRecord
  /// The desired health check this refers to, by key.
  public var healthCheckKey: String?
  /// The set identifier this record had under an earlier naming (FailoverCore's `RecordSetIdentifier.legacy`):
  /// a record of the same name and type under it is deleted in the batch that writes this one.
  public var legacySetIdentifier: String?

  /// A desired record, optionally attached to a desired health check and replacing a legacy record.
  public init(record: DNSRecord, healthCheckKey: String? = nil, legacySetIdentifier: String? = nil) {
    self.record = record
    self.healthCheckKey = healthCheckKey
    self.legacySetIdentifier = legacySetIdentifier
  }

  /// Name, type and set identifier: what identifies a record set in Route53.
  var identity: RecordIdentity { RecordIdentity(record) }

  /// The identity of the legacy record this one replaces, if any.
  var legacyIdentity: RecordIdentity? {
    legacySetIdentifier.map { RecordIdentity(record, setIdentifier: $0) }
  }
}

/// A CloudWatch alarm; `healthCheckKey` sets its `HealthCheckId` dimension to that health check's id.
public struct DesiredAlarm: Sendable, Hashable {
  /// The alarm, with its `HealthCheckId` dimension filled in from `healthCheckKey`.
  public var alarm: MetricAlarm
  /// The desired health check this refers to, by key.
  public var healthCheckKey: String?

  /// A desired state; `ownerPrefix` defaults to `switchboard-`.
  public init(alarm: MetricAlarm, healthCheckKey: String? = nil) {
    self.alarm = alarm
    self.healthCheckKey = healthCheckKey
  }
}
