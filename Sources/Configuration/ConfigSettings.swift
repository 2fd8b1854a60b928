import Foundation
import HTTPServer

/// HTTPS listener settings.
public struct TLSSettings: Sendable, Hashable {
  /// Where HTTPS listens.
  public var listen: ListenAddress
  /// PEM certificate chain path.
  public var certificatePath: String
  /// PEM private key path.
  public var keyPath: String
  public init(listen: ListenAddress, certificatePath: String, keyPath: String) {
    self.listen = listen
    self.certificatePath = certificatePath
    self.keyPath = keyPath
  }
}

/// What an API token may do.
public enum TokenRole: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Read status, events and overrides.
  case viewer
  /// Also create and clear overrides, request manual failovers.
  case `operator`
  /// Everything, including drills and configuration-level actions.
  case admin

  private var rank: Int {
    switch self {
    case .viewer: 0
    case .operator: 1
    case .admin: 2
    }
  }
  public static func < (lhs: TokenRole, rhs: TokenRole) -> Bool { lhs.rank < rhs.rank }
}

/// An API token: only its SHA-256 is kept, never the token itself.
public struct AuthToken: Sendable, Hashable {
  /// A unique label (shown in audit events as the actor).
  public var name: String
  /// What the token may do.
  public var role: TokenRole
  /// Lowercase hex SHA-256 of the token.
  public var sha256: String
  public init(name: String, role: TokenRole, sha256: String) {
    self.name = name
    self.role = role
    self.sha256 = sha256
  }
}

/// AWS settings; credentials never come from the file (standard AWS environment variables instead).
public struct AWSSettings: Sendable, Hashable {
  /// The region for API calls (Route53 is global; CloudWatch and SNS are regional).
  public var region: String?
  /// A custom endpoint, e.g. moto_server on loopback.
  public var endpointURL: String?
  /// A named profile of the shared AWS config files.
  public var profile: String?
  /// Where failover notifications are published, if anywhere.
  public var snsTopicARN: String?
  /// Seconds between two reads of every CloudWatch alarm and Route53 health-check signal.
  public var alarmPollInterval: Double
  /// `alarm_poll_interval` when the file leaves it out.
  public static let defaultAlarmPollInterval: Double = 10
  public init(
    region: String? = nil, endpointURL: String? = nil, profile: String? = nil, snsTopicARN: String? = nil,
    alarmPollInterval: Double = AWSSettings.defaultAlarmPollInterval
  ) {
    self.region = region
    self.endpointURL = endpointURL
    self.profile = profile
    self.snsTopicARN = snsTopicARN
    self.alarmPollInterval = alarmPollInterval
  }
}

/// Where notifications go besides SNS.
public struct NotificationSettings: Sendable, Hashable {
  /// A webhook that receives each notification as JSON.
  public var webhookURL: String?
  public init(webhookURL: String? = nil) { self.webhookURL = webhookURL }
}
