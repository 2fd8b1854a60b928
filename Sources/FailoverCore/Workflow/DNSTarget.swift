import Foundation

/// The DNS records that express a routing state for a service, and the check that they are in place.
public enum DNSTarget {
  /// The record sets to UPSERT: one simple record (`record` mode) or one weighted record per region.
  public static func records(for state: RoutingState, service: Service) -> [DNSRecord] {
    switch service.routingMode {
    case .record, .failoverHealthCheck:
      guard let active = state.activeRegion, let placement = service.region(active) else { return [] }
      return [
        DNSRecord(
          name: service.dnsName, type: service.recordType, ttl: service.ttl, values: [placement.target])
      ]
    case .weighted:
      return service.regions.map { placement in
        DNSRecord(
          name: service.dnsName, type: service.recordType, ttl: service.ttl, values: [placement.target],
          routing: .weighted(
            weight: state.weights[placement.region] ?? 0, setIdentifier: placement.region.rawValue))
      }
    }
  }

  /// What differs between the records read and the desired ones, in words; empty when they match.
  public static func differences(desired: [DNSRecord], actual: [DNSRecord]) -> [String] {
    var problems: [String] = []
    for record in desired {
      let candidates = actual.filter {
        normalized($0.name) == normalized(record.name) && $0.type.uppercased() == record.type.uppercased()
          && $0.setIdentifier == record.setIdentifier
      }
      guard let found = candidates.first else {
        problems.append("\(label(record)) does not exist")
        continue
      }
      if Set(found.values.map(normalized)) != Set(record.values.map(normalized)) {
        problems.append(
          "\(label(record)) points at \(found.values.joined(separator: ", ")), not \(record.values.joined(separator: ", "))"
        )
      }
      if case .weighted(let want, _) = record.routing, case .weighted(let have, _) = found.routing,
        want != have
      {
        problems.append("\(label(record)) has weight \(have), not \(want)")
      }
    }
    return problems
  }

  static func normalized(_ name: String) -> String {
    var text = name.lowercased()
    while text.hasSuffix(".") { text.removeLast() }
    return text
  }

  static func label(_ record: DNSRecord) -> String {
    "\(record.type) \(record.name)" + (record.setIdentifier.map { " [\($0)]" } ?? "")
  }
}
