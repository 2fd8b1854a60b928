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
            weight: state.weights[placement.region] ?? 0,
            setIdentifier: RecordSetIdentifier.canonical(service: service.id, region: placement.region)))
      }
    }
  }

  /// The records of the service's name and type that carry a legacy set identifier (the bare region id earlier
  /// workflows wrote): they still take traffic and must go in the same batch that writes the canonical ones.
  public static func legacyRecords(of service: Service, in actual: [DNSRecord]) -> [DNSRecord] {
    actual.filter { record in
      guard let setIdentifier = record.setIdentifier else { return false }
      return normalized(record.name) == normalized(service.dnsName)
        && record.type.uppercased() == service.recordType.uppercased()
        && RecordSetIdentifier.legacyRegion(setIdentifier, of: service) != nil
    }
  }

  /// The change batch's changes that put a routing state in place: an UPSERT per desired record and a DELETE
  /// per legacy record, so nothing keeps sending traffic through a record under the other name. An UPSERT keeps
  /// the health check bootstrap attached to the record it replaces (an UPSERT without one would detach it).
  public static func changes(for state: RoutingState, service: Service, actual: [DNSRecord]) -> [DNSChange] {
    records(for: state, service: service).map { wanted in
      var record = wanted
      record.healthCheckID =
        actual.first {
          normalized($0.name) == normalized(wanted.name) && $0.type.uppercased() == wanted.type.uppercased()
            && $0.setIdentifier == wanted.setIdentifier
        }?.healthCheckID
      return DNSChange(.upsert, record)
    } + legacyRecords(of: service, in: actual).map { DNSChange(.delete, $0) }
  }

  /// What differs between the records read and a routing state's, in words (legacy records included); empty when
  /// they match.
  public static func differences(for state: RoutingState, service: Service, actual: [DNSRecord]) -> [String] {
    differences(desired: records(for: state, service: service), actual: actual)
      + legacyRecords(of: service, in: actual).map { "\(label($0)) is a legacy record that still exists" }
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
