import FailoverCore
import Foundation
import Synchronization

/// The zones Switchboard serves itself: their records (written by workflows through the `DNSProvider` port) and
/// the answers built from them. A change is visible to the next query; each batch raises the zone's SOA serial.
public final class BuiltinZones: DNSProvider, Sendable {
  private struct Zone {
    var authority: ZoneAuthority
    var serial: UInt32
    var records: [DNSRecord] = []
    /// Answers by lowercase owner name and type: the record plus its weight (nil unless weighted).
    var index: [[UInt8]: [UInt16: [(record: DNSResourceRecord, weight: Int?)]]] = [:]
    /// Every owner name and the names between it and the apex (empty non-terminals answer NODATA).
    var names: Set<[UInt8]> = []
  }

  private let zones: Mutex<[[UInt8]: Zone]>
  private let apexes: [DNSName]
  private let changes = Atomic<UInt64>(0)

  /// Rises with every change to any zone (cached answers older than it are stale).
  public var generation: UInt64 { changes.load(ordering: .acquiring) }

  /// Serves `authorities`, starting every serial at `initialSerial` (seconds since the epoch by default, so a
  /// restarted server's serial does not go back).
  public init(
    _ authorities: [ZoneAuthority],
    initialSerial: UInt32 = UInt32(clamping: Int(Date().timeIntervalSince1970))
  ) {
    var table: [[UInt8]: Zone] = [:]
    for authority in authorities {
      var zone = Zone(authority: authority, serial: max(1, initialSerial))
      Self.reindex(&zone)
      table[authority.apex.canonicalWire] = zone
    }
    zones = Mutex(table)
    // Longest apex first, so the most specific zone wins.
    apexes = authorities.map(\.apex).sorted { $0.labels.count > $1.labels.count }
  }

  /// The apexes served.
  public var servedZones: [DNSName] { apexes }

  /// The zone's current SOA serial.
  public func serial(of apex: String) -> UInt32? {
    guard let name = DNSName(apex) else { return nil }
    return zones.withLock { $0[name.canonicalWire]?.serial }
  }

  /// Puts records in place where the zone has none of that name, type and set identifier (the routing the
  /// store remembers, at start); does not raise the serial.
  public func seed(_ records: [DNSRecord]) {
    defer { changes.wrappingAdd(1, ordering: .releasing) }
    zones.withLock { table in
      for record in records {
        guard let key = apexKey(for: record.name), var zone = table[key] else { continue }
        if zone.records.contains(where: { Self.sameSet($0, record) }) { continue }
        zone.records.append(record)
        Self.reindex(&zone)
        table[key] = zone
      }
    }
  }

  // MARK: DNSProvider

  /// The zone's id is its apex.
  public func hostedZoneID(forDomain domain: String) async throws -> String {
    guard let name = DNSName(domain), apexes.contains(where: { $0.matches(name) }) else {
      throw DNSProviderError(
        .unknownZone, "The built-in DNS server does not serve the zone \(domain); add it under `dns.zones`.")
    }
    return name.lowercased.description
  }

  public func records(zoneID: String, name: String) async throws -> [DNSRecord] {
    let key = try zoneKey(zoneID)
    let wanted = DNSName(name)?.canonicalWire
    return zones.withLock { table in
      (table[key]?.records ?? []).filter { DNSName($0.name)?.canonicalWire == wanted }
    }
  }

  public func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    let key = try zoneKey(batch.zoneID)
    let apex = DNSName(batch.zoneID)!
    for change in batch.changes {
      guard let name = DNSName(change.record.name), name.isSubdomain(of: apex) else {
        throw DNSProviderError(
          .unknownZone,
          "\(change.record.name) is not inside the zone \(batch.zoneID) the built-in server serves.")
      }
      guard DNSType.code(change.record.type) != nil else {
        throw DNSProviderError(
          .refused, "The built-in DNS server does not serve \(change.record.type) records.")
      }
    }
    let serial = zones.withLock { table -> UInt32 in
      var zone = table[key]!
      for change in batch.changes {
        zone.records.removeAll { Self.sameSet($0, change.record) }
        if change.action != .delete { zone.records.append(change.record) }
      }
      zone.serial &+= 1
      Self.reindex(&zone)
      table[key] = zone
      return zone.serial
    }
    changes.wrappingAdd(1, ordering: .releasing)
    return DNSChangeReceipt(id: "builtin-\(batch.zoneID)-\(serial)", status: .inSync, submittedAt: Date())
  }

  /// Changes are in the answers as soon as `submit` returns.
  public func changeStatus(id: String) async throws -> DNSChangeStatus { .inSync }

  // MARK: Answers

  /// The answer to one question, from the zone that holds its name; REFUSED outside every zone.
  public func resolve(_ question: DNSQuestion) -> ZoneResolution {
    guard question.questionClass == DNSClass.in || question.questionClass == DNSClass.any,
      let apex = apexes.first(where: { question.name.isSubdomain(of: $0) })
    else { return .refused }
    let name = question.name.canonicalWire
    return zones.withLock { table in
      guard let zone = table[apex.canonicalWire] else { return .refused }
      return Self.answer(zone, name: name, question: question)
    }
  }

  private static func answer(_ zone: Zone, name: [UInt8], question: DNSQuestion) -> ZoneResolution {
    let authority = zone.authority
    let isApex = name == authority.apex.canonicalWire
    var answers: [DNSResourceRecord] = []
    var byType = zone.index[name] ?? [:]
    if isApex {
      byType[DNSType.soa] = [(authority.soa(serial: zone.serial), nil)]
      byType[DNSType.ns] = authority.nsRecords.map { ($0, nil) }
    }
    if question.type == DNSType.any {
      for type in byType.keys.sorted() { answers += pick(byType[type]!) }
    } else if let found = byType[question.type] {
      answers = pick(found)
    } else if let alias = byType[DNSType.cname] {
      answers = pick(alias)
    }
    if !answers.isEmpty {
      var resolution = ZoneResolution(
        rcode: DNSRCode.noError, authoritative: true, answers: answers, authorities: [])
      resolution.cacheable = !byType.values.contains { $0.contains { $0.weight != nil } }
      return resolution
    }
    let exists = isApex || zone.names.contains(name)
    return ZoneResolution(
      rcode: exists ? DNSRCode.noError : DNSRCode.nxDomain, authoritative: true, answers: [],
      authorities: [authority.negativeSOA(serial: zone.serial)])
  }

  /// The records with weight (all of them when none has any), the first drawn by weight.
  private static func pick(_ entries: [(record: DNSResourceRecord, weight: Int?)]) -> [DNSResourceRecord] {
    guard entries.contains(where: { $0.weight != nil }) else { return entries.map(\.record) }
    var weighted = entries.filter { ($0.weight ?? 1) > 0 }
    if weighted.isEmpty { weighted = entries }
    let total = weighted.reduce(0) { $0 + max($1.weight ?? 1, 1) }
    var draw = Int.random(in: 0..<max(total, 1))
    var first = 0
    for (position, entry) in weighted.enumerated() {
      draw -= max(entry.weight ?? 1, 1)
      if draw < 0 {
        first = position
        break
      }
    }
    let chosen = weighted.remove(at: first)
    return [chosen.record] + weighted.map(\.record)
  }

  // MARK: Index

  private static func reindex(_ zone: inout Zone) {
    zone.index = [:]
    zone.names = []
    let apexLabels = zone.authority.apex.labels.count
    for record in zone.records {
      guard let owner = DNSName(record.name), let type = DNSType.code(record.type) else { continue }
      let key = owner.canonicalWire
      let weight: Int? = if case .weighted(let weight, _) = record.routing { weight } else { nil }
      for value in record.values {
        guard let data = recordData(type: type, value: value) else { continue }
        let rr = DNSResourceRecord(
          name: owner, type: type, ttl: UInt32(clamping: record.ttl ?? 60), data: data)
        zone.index[key, default: [:]][type, default: []].append((rr, weight))
      }
      var labels = owner.labels
      while labels.count > apexLabels {
        zone.names.insert(DNSName(labels: labels).canonicalWire)
        labels.removeFirst()
      }
    }
  }

  /// The wire data of a record value of a type, nil when the value does not fit it.
  static func recordData(type: UInt16, value: String) -> DNSRecordData? {
    switch type {
    case DNSType.a: IPAddressText.ipv4(value).map(DNSRecordData.a)
    case DNSType.aaaa: IPAddressText.ipv6(value).map(DNSRecordData.aaaa)
    case DNSType.cname, DNSType.ns: DNSName(value).map(DNSRecordData.name)
    default: nil
    }
  }

  private static func sameSet(_ a: DNSRecord, _ b: DNSRecord) -> Bool {
    DNSName(a.name)?.canonicalWire == DNSName(b.name)?.canonicalWire
      && a.type.uppercased() == b.type.uppercased()
      && a.setIdentifier == b.setIdentifier
  }

  private func apexKey(for name: String) -> [UInt8]? {
    guard let owner = DNSName(name) else { return nil }
    return apexes.first { owner.isSubdomain(of: $0) }?.canonicalWire
  }

  private func zoneKey(_ zoneID: String) throws -> [UInt8] {
    guard let name = DNSName(zoneID), apexes.contains(where: { $0.matches(name) }) else {
      throw DNSProviderError(.unknownZone, "The built-in DNS server does not serve the zone \(zoneID).")
    }
    return name.canonicalWire
  }
}
