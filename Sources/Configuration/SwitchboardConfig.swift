import FailoverCore
import Foundation
import HTTPServer

/// The whole configuration of a Switchboard process, decoded from one YAML file.
///
/// Entry points: `SwitchboardConfig.load(path:)` for `serve` (throws every problem at once), and
/// `ConfigValidator.validate(path:)` for `validate` (returns the problems).
public struct SwitchboardConfig: Sendable {
  /// Where the HTTP API, dashboard and routing endpoint listen.
  public var listen: ListenAddress
  /// The HTTPS listener, if any.
  public var tls: TLSSettings?
  /// The dashboard's static files (relative paths are relative to the working directory).
  public var publicDirectory: String
  /// Whether the status page and status JSON are served without a token.
  public var publicStatus: Bool
  /// The SQLite database file (relative paths are relative to the working directory).
  public var storagePath: String
  /// Which backend keeps the facts (`storage.backend`): SQLite (default) or etcd.
  public var storageBackend: StorageBackend = .sqlite
  /// The etcd backend's settings, when `storage.backend` is `etcd`.
  public var etcd: EtcdSettings?
  /// The cluster's name, leader lease, health quorum and heartbeat (`cluster:`).
  public var cluster = ClusterSettings()
  /// API tokens (file plus environment).
  public var tokens: [AuthToken]
  /// AWS region, endpoint, profile, SNS topic.
  public var aws: AWSSettings
  /// Webhook settings.
  public var notifications: NotificationSettings
  /// The rules for automatic action.
  public var policy: Policy
  /// How long the store keeps events, ended workflows and expired overrides, and how often it prunes.
  public var retention = RetentionSettings()
  /// Default drill guard rails and the missed-start deadline (`drills:`).
  public var drills = DrillDefaults()
  /// Probe connections open at once over all the prober's lanes (`probes.max_in_flight`); nil: the prober's
  /// default (4,096).
  public var probeMaxInFlight: Int?
  /// Whether probe connections are kept open between checks of the same origin (`probes.keep_alive`); nil: the
  /// prober's default (yes).
  public var probeKeepAlive: Bool?
  /// Declared regions.
  public var regions: [Region]
  /// Protected services.
  public var services: [Service]
  /// The built-in DNS server and the RFC 2136 server (`dns:`).
  public var dns = DNSSettings()
  /// Each service's DNS provider when it is not Route53 (`services[].provider`).
  public var dnsProviders: [ServiceID: DNSProviderChoice] = [:]
  /// Where each service's `hosted_zone_id` is written (`line:column`), so plan and bootstrap can name the line when
  /// Route53 disagrees with it.
  public var hostedZoneIDLocations: [ServiceID: String] = [:]

  public init(
    listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8080), tls: TLSSettings? = nil,
    publicDirectory: String = "Public", publicStatus: Bool = false,
    storagePath: String = "data/switchboard.sqlite", tokens: [AuthToken] = [],
    aws: AWSSettings = AWSSettings(),
    notifications: NotificationSettings = NotificationSettings(), policy: Policy = Policy(),
    regions: [Region],
    services: [Service]
  ) {
    self.listen = listen
    self.tls = tls
    self.publicDirectory = publicDirectory
    self.publicStatus = publicStatus
    self.storagePath = storagePath
    self.tokens = tokens
    self.aws = aws
    self.notifications = notifications
    self.policy = policy
    self.regions = regions
    self.services = services
  }

  /// Reads, decodes and validates a file, then applies environment overrides of secrets.
  /// Throws a `ConfigError` listing every problem with its line and column.
  public static func load(
    path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ConfigError) -> SwitchboardConfig {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(
        path: path,
        problems: [
          ConfigProblem(line: 1, column: 1, message: "The file cannot be read: \(error.localizedDescription)")
        ])
    }
    return try parse(yaml: text, path: path, environment: environment)
  }

  /// Decodes and validates YAML text (`path` only names it in errors).
  public static func parse(
    yaml: String, path: String = "<config>", environment: [String: String] = [:]
  ) throws(ConfigError) -> SwitchboardConfig {
    let (config, problems) = ConfigValidator.check(yaml: yaml, environment: environment)
    guard let config, problems.isEmpty else { throw ConfigError(path: path, problems: problems) }
    return config
  }

  /// A service by id.
  public func service(_ id: ServiceID) -> Service? { services.first { $0.id == id } }
}
