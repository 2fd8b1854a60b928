import FailoverCore

/// One `DNSProvider` in front of several: each zone goes to the provider its services chose (built-in, RFC 2136),
/// every other zone to Route53. Change ids carry their provider's prefix.
struct ZoneRoutedDNSProvider: DNSProvider {
  /// A provider for some zones, and the prefix of the change ids it hands out.
  struct Route: Sendable {
    var zones: Set<String>
    var changeIDPrefix: String
    var provider: any DNSProvider
  }

  let routes: [Route]
  let fallback: any DNSProvider

  private func provider(zone: String) -> any DNSProvider {
    let key = Self.normalized(zone)
    return routes.first { $0.zones.contains(key) }?.provider ?? fallback
  }

  func hostedZoneID(forDomain domain: String) async throws -> String {
    try await provider(zone: domain).hostedZoneID(forDomain: domain)
  }

  func records(zoneID: String, name: String) async throws -> [DNSRecord] {
    try await provider(zone: zoneID).records(zoneID: zoneID, name: name)
  }

  func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    try await provider(zone: batch.zoneID).submit(batch)
  }

  func changeStatus(id: String) async throws -> DNSChangeStatus {
    let route = routes.first { id.hasPrefix($0.changeIDPrefix) }
    return try await (route?.provider ?? fallback).changeStatus(id: id)
  }

  static func normalized(_ zone: String) -> String {
    var text = zone.lowercased()
    while text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
