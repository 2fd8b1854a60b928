/// What the built-in server says about a zone it serves: its apex, name servers, SOA fields and TTL.
public struct ZoneAuthority: Sendable, Hashable {
  /// The zone's apex, e.g. `example.com`.
  public var apex: DNSName
  /// The NS records of the apex (the first is the SOA's primary).
  public var nameServers: [DNSName]
  /// The SOA's responsible mailbox, as a name (`hostmaster.example.com`).
  public var mailbox: DNSName
  /// SOA refresh, retry, expire and minimum (negative-caching TTL), in seconds.
  public var refresh: UInt32 = 3600
  public var retry: UInt32 = 600
  public var expire: UInt32 = 604_800
  public var minimum: UInt32 = 60
  /// The TTL of the SOA and NS records.
  public var ttl: UInt32 = 3600

  /// A zone with default SOA timers; name servers default to `ns1.<apex>`, the mailbox to `hostmaster.<apex>`.
  public init(apex: DNSName, nameServers: [DNSName] = [], mailbox: DNSName? = nil) {
    self.apex = apex
    self.nameServers =
      nameServers.isEmpty ? [DNSName(labels: [Array("ns1".utf8)] + apex.labels)] : nameServers
    self.mailbox = mailbox ?? DNSName(labels: [Array("hostmaster".utf8)] + apex.labels)
  }

  /// The SOA record at a serial.
  func soa(serial: UInt32) -> DNSResourceRecord {
    DNSResourceRecord(
      name: apex, type: DNSType.soa, ttl: ttl,
      data: .soa(
        SOAData(
          primary: nameServers[0], mailbox: mailbox, serial: serial, refresh: refresh, retry: retry,
          expire: expire, minimum: minimum)))
  }

  /// The SOA as negative answers carry it: its TTL is the smaller of its own and `minimum` (RFC 2308).
  func negativeSOA(serial: UInt32) -> DNSResourceRecord {
    var record = soa(serial: serial)
    record.ttl = min(ttl, minimum)
    return record
  }

  /// The apex's NS records.
  var nsRecords: [DNSResourceRecord] {
    nameServers.map { DNSResourceRecord(name: apex, type: DNSType.ns, ttl: ttl, data: .name($0)) }
  }
}
