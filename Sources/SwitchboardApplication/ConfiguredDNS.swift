import Configuration
import DNS
import FailoverCore
import Logging

/// The DNS providers a configuration asks for besides Route53: Switchboard's built-in authoritative server (its
/// zones and listeners) and one RFC 2136 provider per zone, and the routing of each zone to its provider.
public struct ConfiguredDNS: Sendable {
  /// The zones the built-in server serves, when some service uses `provider: builtin`.
  public let builtin: BuiltinZones?
  /// The RFC 2136 providers, by zone (lowercase).
  public let rfc2136: [String: RFC2136Provider]
  private let config: SwitchboardConfig

  /// Builds the providers; a TSIG secret or a name that cannot be used is one sentence.
  public init(config: SwitchboardConfig, logger: Logger = Logger(label: "switchboard.dns"))
    throws(ApplicationError)
  {
    self.config = config
    let zones = config.builtinZones
    if zones.isEmpty {
      builtin = nil
    } else {
      var authorities: [ZoneAuthority] = []
      for zone in zones {
        guard let apex = DNSName(zone) else {
          throw ApplicationError("The zone \(zone) is not a domain name.")
        }
        var authority = ZoneAuthority(
          apex: apex, nameServers: config.dns.nameServers.compactMap(DNSName.init),
          mailbox: config.dns.mailbox.flatMap(DNSName.init))
        authority.minimum = UInt32(clamping: config.dns.negativeTTL)
        authorities.append(authority)
      }
      builtin = BuiltinZones(authorities)
    }
    var providers: [String: RFC2136Provider] = [:]
    let services = config.services(using: .rfc2136)
    if let settings = config.dns.rfc2136, !services.isEmpty {
      guard let key = TSIGKey(name: settings.keyName, secretBase64: settings.secret ?? "") else {
        throw ApplicationError(
          "The TSIG key \(settings.keyName) cannot be used: its name must be a domain name and its secret base64 "
            + "(the secret is not shown).")
      }
      for service in services {
        let zone = (settings.zone ?? service.hostedZone).lowercased()  // as updateZone(of:)
        guard providers[zone] == nil, let apex = DNSName(zone) else { continue }
        providers[zone] = RFC2136Provider(
          server: DNSListenAddress(host: settings.server.host, port: settings.server.port), zone: apex,
          key: key,
          timeout: settings.timeout, logger: logger)
      }
    }
    rfc2136 = providers
  }

  /// The one `DNSProvider` the engine uses: each built-in or RFC 2136 zone to its provider, the rest to `route53`.
  public func routed(fallback route53: any DNSProvider) -> any DNSProvider {
    var routes: [ZoneRoutedDNSProvider.Route] = []
    if let builtin {
      routes.append(.init(zones: Set(config.builtinZones), changeIDPrefix: "builtin-", provider: builtin))
    }
    for (zone, provider) in rfc2136 {
      // Services name their hosted zone; the update goes to the configured RFC 2136 zone.
      let names = Set(
        config.services(using: .rfc2136).filter { updateZone(of: $0) == zone }.map {
          $0.hostedZone.lowercased()
        }
          + [zone])
      routes.append(
        .init(zones: names, changeIDPrefix: "\(RFC2136Provider.changeIDPrefix)\(zone)-", provider: provider))
    }
    return routes.isEmpty ? route53 : ZoneRoutedDNSProvider(routes: routes, fallback: route53)
  }

  /// The provider of one service (Route53 unless it chose another).
  public func provider(for service: Service, route53: any DNSProvider) -> any DNSProvider {
    switch config.dnsProvider(for: service.id) {
    case .route53: route53
    case .builtin: builtin ?? route53
    case .rfc2136: rfc2136[updateZone(of: service)] ?? route53
    }
  }

  /// The zone a service's RFC 2136 updates go to: `dns.rfc2136.zone`, else its hosted zone.
  private func updateZone(of service: Service) -> String {
    (config.dns.rfc2136?.zone ?? service.hostedZone).lowercased()
  }

  /// The built-in server over the built-in zones, listening where `dns.listen` says; nil without built-in zones.
  public func server(logger: Logger = Logger(label: "switchboard.dns")) -> DNSServer? {
    guard let builtin else { return nil }
    return DNSServer(
      listen: config.dns.listen.map { DNSListenAddress(host: $0.host, port: $0.port) },
      responder: QueryResponder(zones: builtin),
      rateLimit: SourceRateLimiter(responsesPerSecond: config.dns.rateLimit),
      logger: logger)
  }

  /// Puts each built-in service's current routing (from the store, else the configuration's) into its zone.
  public func seedBuiltinZones(from history: any RoutingHistory) async throws {
    guard let builtin else { return }
    for service in config.services(using: .builtin) {
      let state = try await history.routingState(service: service.id) ?? .initial(for: service)
      builtin.seed(DNSTarget.records(for: state, service: service))
    }
  }
}
