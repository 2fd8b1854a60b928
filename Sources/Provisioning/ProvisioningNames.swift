import FailoverCore

/// The names Switchboard gives what bootstrap creates, so plan and teardown find exactly those again.
///
/// - owner prefix per hosted zone: `switchboard-<zone>/` (health-check and zone CallerReferences, alarm names);
/// - health-check key: `<service>/<region>` (the `Name` tag too);
/// - alarm: `switchboard-<zone>/<service>/<region>`;
/// - set identifier of failover and weighted records: `<service>/<region>` (unique per name: moto deletes a set
///   identifier under every name).
public enum ProvisioningNames {
  /// What every owner prefix starts with (the IAM policy's `switchboard-*` patterns rely on it).
  public static let prefix = "switchboard-"

  /// Route53 refuses longer CallerReferences.
  public static let maximumCallerReferenceLength = 128

  /// The owner prefix of one hosted zone's resources. A `/` cannot occur in a domain name, so zones never
  /// share a prefix.
  public static func ownerPrefix(zone: String) -> String { "\(prefix)\(zone.lowercased())/" }

  /// The key of the health check of a service in a region.
  public static func healthCheckKey(service: ServiceID, region: RegionID) -> String {
    "\(service.rawValue)/\(region.rawValue)"
  }

  /// The set identifier of a failover or weighted record: FailoverCore's `RecordSetIdentifier`, the one naming
  /// the workflow uses too.
  public static func setIdentifier(service: ServiceID, region: RegionID) -> String {
    RecordSetIdentifier.canonical(service: service, region: region)
  }

  /// The length of the longest CallerReference bootstrap makes for a key (`<prefix><key>/<UUID>`).
  public static func callerReferenceLength(ownerPrefix: String, key: String) -> Int {
    ownerPrefix.utf8.count + key.utf8.count + 1 + 36
  }
}
