import FailoverCore
import Foundation

// Observation: what Route53 and CloudWatch hold now, and in which region each alarm belongs.
extension Provisioner {
  struct Observed {
    var zone: HostedZone?
    /// Owned health checks by desired key.
    var healthChecks: [String: HealthCheck] = [:]
    /// Tags of the owned health checks, by id.
    var healthCheckTags: [String: [String: String]] = [:]
    /// Owned health checks whose key is not desired.
    var extraHealthChecks: [HealthCheck] = []
    var records: [RecordIdentity: DNSRecord] = [:]
    /// Owned alarms (names with the owner prefix) by name, found in the region they belong in.
    var alarms: [String: MetricAlarm] = [:]
    /// Owned alarms found in the other region than the one they belong in (Route53 metrics: us-east-1).
    var misplacedAlarms: [MetricAlarm] = []
  }

  func observe(_ desired: DesiredState) async throws -> Observed {
    var observed = Observed()
    observed.zone = try await zone(desired)
    let keys = Set(desired.healthChecks.map(\.key))
    for check in try await route53.listHealthChecks() {
      guard let key = Self.ownedKey(check.callerReference, prefix: desired.ownerPrefix) else { continue }
      if keys.contains(key), observed.healthChecks[key] == nil {
        observed.healthChecks[key] = check
      } else {
        observed.extraHealthChecks.append(check)
      }
    }
    if !observed.healthChecks.isEmpty {
      observed.healthCheckTags = try await route53.healthCheckTags(
        ids: observed.healthChecks.values.map(\.id))
    }
    if let zone = observed.zone {
      for record in try await route53.listResourceRecordSets(zoneID: zone.id) {
        observed.records[RecordIdentity(record)] = record
      }
    }
    for searched in places {
      for described in try await client(searched).describeAlarms(prefix: desired.ownerPrefix) {
        if place(of: described.alarm) == searched {
          observed.alarms[described.alarm.name] = described.alarm
        } else {
          observed.misplacedAlarms.append(described.alarm)
        }
      }
    }
    return observed
  }

  /// The hosted zone: the one with the configured id (an error when it is missing or named otherwise), else the
  /// one named `zoneDomain`, else nil.
  func zone(_ desired: DesiredState) async throws -> HostedZone? {
    guard let id = desired.zoneID else { return try await route53.hostedZone(forDomain: desired.zoneDomain) }
    let origin = desired.zoneIDOrigin.map { " (hosted_zone_id at \($0))" } ?? ""
    guard let zone = try await route53.hostedZone(id: id) else {
      throw AWSError.notFound(
        "Route53 has no hosted zone with id \(id)\(origin); fix hosted_zone_id, or remove it to use the zone "
          + "named \(desired.zoneDomain).")
    }
    guard Route53Client.normalized(zone.name) == Route53Client.normalized(desired.zoneDomain) else {
      throw AWSError.invalidRequest(
        "hosted zone \(id)\(origin) is named \(Route53Client.normalized(zone.name)), not \(desired.zoneDomain) "
          + "as hosted_zone says; make the two name the same zone.")
    }
    return zone
  }

  /// Where an alarm lives: with Route53's metrics (us-east-1) or in the configured region.
  enum AlarmPlace: Hashable {
    case configured, route53Metrics
    var other: AlarmPlace { self == .configured ? .route53Metrics : .configured }
  }

  /// The place an alarm belongs in: us-east-1 for Route53's metrics, the configured region for the rest.
  func place(of alarm: MetricAlarm) -> AlarmPlace {
    alarm.namespace == Self.route53MetricsNamespace && hasSeparateRoute53Region
      ? .route53Metrics : .configured
  }

  /// The places to look for alarms: one when the configured region is us-east-1, else two.
  var places: [AlarmPlace] { hasSeparateRoute53Region ? [.configured, .route53Metrics] : [.configured] }

  /// Whether Route53's metrics live in another region (or endpoint) than the configured one.
  var hasSeparateRoute53Region: Bool {
    let home = cloudWatch.query.executor.endpoint
    let route53 = route53Metrics.query.executor.endpoint
    return home.region != route53.region || home.url != route53.url
  }

  func client(_ place: AlarmPlace) -> CloudWatchClient {
    place == .configured ? cloudWatch : route53Metrics
  }

  func region(_ place: AlarmPlace) -> String { client(place).query.executor.endpoint.region }

  /// The key of an owned health check (`prefix + key + "/" + unique`), or nil if it is not owned.
  static func ownedKey(_ callerReference: String, prefix: String) -> String? {
    guard callerReference.hasPrefix(prefix), !callerReference.hasPrefix(prefix + "zone/") else { return nil }
    let rest = callerReference.dropFirst(prefix.count)
    guard let slash = rest.lastIndex(of: "/") else { return nil }
    return String(rest[..<slash])
  }
}
