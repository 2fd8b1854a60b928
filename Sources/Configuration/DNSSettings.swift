import FailoverCore
import HTTPServer

/// Which DNS provider moves a service's traffic (`services[].provider`).
public enum DNSProviderChoice: String, Sendable, Hashable, CaseIterable {
  /// Amazon Route53 (the default).
  case route53
  /// Any DNS server accepting RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS).
  case rfc2136
  /// Switchboard's own authoritative DNS server.
  case builtin
}

/// The `dns:` section: the built-in server's listeners and zones, and the RFC 2136 server.
public struct DNSSettings: Sendable, Hashable {
  /// Where the built-in server listens (UDP and TCP).
  public var listen: [ListenAddress] = [ListenAddress(host: "127.0.0.1", port: 8053)]
  /// Extra zones the built-in server serves besides the hosted zones of its services.
  public var zones: [String] = []
  /// The NS records of every built-in zone (default `ns1.<zone>`).
  public var nameServers: [String] = []
  /// The SOA's mailbox as a name (default `hostmaster.<zone>`).
  public var mailbox: String?
  /// The SOA's minimum: how long resolvers cache "no such name" (seconds).
  public var negativeTTL: Int = 60
  /// UDP responses per second per source address; 0 turns the limit off.
  public var rateLimit: Int = 1000
  /// The RFC 2136 server, for services with `provider: rfc2136`.
  public var rfc2136: RFC2136Settings?
  public init() {}
}

/// The primary server RFC 2136 updates go to, and the TSIG key that signs them.
public struct RFC2136Settings: Sendable, Hashable, CustomStringConvertible {
  /// The primary's address (port 53 by default).
  public var server: ListenAddress
  /// The zone updated; by default the service's `hosted_zone`.
  public var zone: String?
  /// The TSIG key's name, as the server knows it.
  public var keyName: String
  /// The TSIG algorithm (only hmac-sha256).
  public var algorithm: String = "hmac-sha256"
  /// The base64 secret (from the file or the environment variable); never logged.
  public var secret: String?
  /// The environment variable that holds the secret, when the file names one.
  public var secretVariable: String?
  /// Seconds to wait for the server's answer before a retry.
  public var timeout: Double = 2
  public init(server: ListenAddress, zone: String? = nil, keyName: String) {
    self.server = server
    self.zone = zone
    self.keyName = keyName
  }
  /// The server and key name, never the secret.
  public var description: String { "RFC 2136 server \(server), key \(keyName)" }
}

extension SwitchboardConfig {
  /// The provider of a service (`route53` unless its `provider` says otherwise).
  public func dnsProvider(for service: ServiceID) -> DNSProviderChoice { dnsProviders[service] ?? .route53 }

  /// The services a provider moves.
  public func services(using provider: DNSProviderChoice) -> [Service] {
    services.filter { dnsProvider(for: $0.id) == provider }
  }

  /// The zones the built-in server serves: the hosted zones of its services and `dns.zones`, lowercase, once.
  public var builtinZones: [String] {
    var seen: Set<String> = []
    return (services(using: .builtin).map(\.hostedZone) + dns.zones).map { $0.lowercased() }
      .filter { seen.insert($0).inserted }
  }
}
