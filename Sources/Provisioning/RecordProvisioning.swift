import FailoverCore

/// `plan` and `bootstrap` for services whose records live on a DNS server reached through the `DNSProvider` port
/// rather than Route53 (RFC 2136): compare the records the server answers with the ones the routing state needs,
/// and create the missing ones. A record that exists with other values is reported, never overwritten: only a
/// workflow moves traffic, with its compare-and-set.
public struct RecordProvisioning: Sendable {
  /// The service provisioned.
  public var service: Service
  /// Where its traffic goes now (the store's routing, else the configuration's).
  public var routing: RoutingState
  /// The provider holding its zone.
  public var provider: any DNSProvider

  public init(service: Service, routing: RoutingState, provider: any DNSProvider) {
    self.service = service
    self.routing = routing
    self.provider = provider
  }

  /// One difference between the server and the routing state, in words.
  public struct Difference: Sendable, Hashable, CustomStringConvertible {
    /// Whether bootstrap can fix it (the record is missing) or a person must (it holds something else).
    public var missing: Bool
    public var description: String
  }

  /// What differs, read from the server.
  public func plan() async throws -> [Difference] {
    let zoneID = try await provider.hostedZoneID(forDomain: service.hostedZone)
    let actual = try await provider.records(zoneID: zoneID, name: service.dnsName)
    return DNSTarget.records(for: routing, service: service).compactMap { wanted in
      let found = actual.first { $0.type.uppercased() == wanted.type.uppercased() }
      guard let found else {
        return Difference(
          missing: true,
          description: "+ create \(wanted.type) \(wanted.name) \(wanted.values.joined(separator: ", "))")
      }
      return DNSTarget.differences(desired: [wanted], actual: [found]).first.map {
        Difference(
          missing: false, description: "! \($0) (a workflow or a person changes it; bootstrap does not)")
      }
    }
  }

  /// Creates the missing records (an UPDATE whose prerequisite is "the record set does not exist"); returns one
  /// line per record created, or would create with `dryRun`.
  public func bootstrap(dryRun: Bool) async throws -> [String] {
    let zoneID = try await provider.hostedZoneID(forDomain: service.hostedZone)
    let actual = try await provider.records(zoneID: zoneID, name: service.dnsName)
    let missing = DNSTarget.records(for: routing, service: service).filter { wanted in
      !actual.contains { $0.type.uppercased() == wanted.type.uppercased() }
    }
    guard !missing.isEmpty else { return ["\(service.dnsName): the record is in place; nothing to create."] }
    let lines = missing.map { "created \($0.type) \($0.name) \($0.values.joined(separator: ", "))" }
    if dryRun { return lines.map { "would have \($0)" } }
    _ = try await provider.submit(
      DNSChangeBatch(
        zoneID: zoneID, comment: "Switchboard bootstrap", changes: missing.map { DNSChange(.create, $0) }))
    return lines
  }
}
