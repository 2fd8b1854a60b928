import Foundation

/// A DNS record set as Switchboard manages it (Route53 semantics).
public struct DNSRecord: Sendable, Hashable, Codable {
  /// How Route53 picks between record sets that share a name and type.
  public enum Routing: Sendable, Hashable, Codable {
    case simple
    case failover(role: FailoverRole, setIdentifier: String)
    case weighted(weight: Int, setIdentifier: String)
  }

  /// PRIMARY or SECONDARY in a failover pair.
  public enum FailoverRole: String, Sendable, Hashable, Codable {
    case primary = "PRIMARY"
    case secondary = "SECONDARY"
  }

  /// An alias target (for example a load balancer), instead of record values.
  public struct AliasTarget: Sendable, Hashable, Codable {
    public var hostedZoneID: String
    public var dnsName: String
    public var evaluateTargetHealth: Bool
    public init(hostedZoneID: String, dnsName: String, evaluateTargetHealth: Bool) {
      self.hostedZoneID = hostedZoneID
      self.dnsName = dnsName
      self.evaluateTargetHealth = evaluateTargetHealth
    }
  }

  /// Fully qualified name, without the trailing dot.
  public var name: String
  /// Record type: A, AAAA, CNAME, ...
  public var type: String
  public var ttl: Int?
  public var values: [String]
  public var routing: Routing
  public var healthCheckID: String?
  public var alias: AliasTarget?

  public init(
    name: String, type: String, ttl: Int? = nil, values: [String] = [], routing: Routing = .simple,
    healthCheckID: String? = nil, alias: AliasTarget? = nil
  ) {
    self.name = name
    self.type = type
    self.ttl = ttl
    self.values = values
    self.routing = routing
    self.healthCheckID = healthCheckID
    self.alias = alias
  }

  /// The set identifier of failover and weighted records.
  public var setIdentifier: String? {
    switch routing {
    case .simple: nil
    case .failover(_, let id), .weighted(_, let id): id
    }
  }
}

/// One change in a change batch.
public struct DNSChange: Sendable, Hashable, Codable {
  public enum Action: String, Sendable, Hashable, Codable {
    case create = "CREATE"
    case upsert = "UPSERT"
    case delete = "DELETE"
  }
  public var action: Action
  public var record: DNSRecord
  public init(_ action: Action, _ record: DNSRecord) {
    self.action = action
    self.record = record
  }
}

/// An atomic batch of changes to one hosted zone.
public struct DNSChangeBatch: Sendable, Hashable, Codable {
  public var zoneID: String
  public var comment: String?
  public var changes: [DNSChange]
  /// The record sets the zone should hold before the change (what Switchboard last wrote), when known.
  /// Providers that can make the change conditional on them (RFC 2136 prerequisites) and throw a
  /// `DNSProviderError` of kind `prerequisiteFailed` when the zone holds something else; Route53 ignores them.
  public var expected: [DNSRecord]?
  public init(zoneID: String, comment: String? = nil, changes: [DNSChange], expected: [DNSRecord]? = nil) {
    self.zoneID = zoneID
    self.comment = comment
    self.changes = changes
    self.expected = expected
  }
}

/// Propagation state of a submitted change.
public enum DNSChangeStatus: String, Sendable, Hashable, Codable {
  case pending = "PENDING"
  case inSync = "INSYNC"
}

/// What the provider answered when it accepted a change batch.
public struct DNSChangeReceipt: Sendable, Hashable, Codable {
  public var id: String
  public var status: DNSChangeStatus
  public var submittedAt: Date
  public init(id: String, status: DNSChangeStatus, submittedAt: Date) {
    self.id = id
    self.status = status
    self.submittedAt = submittedAt
  }
}

/// The authoritative DNS service that routes clients (Route53 in production).
public protocol DNSProvider: Sendable {
  /// The id of the hosted zone for a domain name (e.g. "example.com").
  func hostedZoneID(forDomain domain: String) async throws -> String
  /// The record sets with exactly this name (any type) in the zone.
  func records(zoneID: String, name: String) async throws -> [DNSRecord]
  /// Submits an atomic change batch; the receipt identifies it for `changeStatus`.
  func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt
  /// Whether a submitted change has propagated to every authoritative server.
  func changeStatus(id: String) async throws -> DNSChangeStatus
}
