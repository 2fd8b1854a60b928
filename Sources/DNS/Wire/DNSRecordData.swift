/// The start of authority of a zone.
public struct SOAData: Sendable, Hashable {
  public var primary: DNSName
  public var mailbox: DNSName
  public var serial: UInt32
  public var refresh: UInt32
  public var retry: UInt32
  public var expire: UInt32
  public var minimum: UInt32
  public init(
    primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
    minimum: UInt32
  ) {
    self.primary = primary
    self.mailbox = mailbox
    self.serial = serial
    self.refresh = refresh
    self.retry = retry
    self.expire = expire
    self.minimum = minimum
  }
}

/// A transaction signature (RFC 8945).
public struct TSIGData: Sendable, Hashable {
  public var algorithm: DNSName
  /// Seconds since the epoch (48 bits on the wire).
  public var timeSigned: UInt64
  public var fudge: UInt16
  public var mac: [UInt8]
  public var originalID: UInt16
  public var error: UInt16
  public var otherData: [UInt8]
  public init(
    algorithm: DNSName, timeSigned: UInt64, fudge: UInt16, mac: [UInt8], originalID: UInt16, error: UInt16,
    otherData: [UInt8]
  ) {
    self.algorithm = algorithm
    self.timeSigned = timeSigned
    self.fudge = fudge
    self.mac = mac
    self.originalID = originalID
    self.error = error
    self.otherData = otherData
  }
}

/// A record's data, decoded for the types Switchboard reads and kept raw otherwise.
public enum DNSRecordData: Sendable, Hashable {
  /// An IPv4 address (4 bytes).
  case a([UInt8])
  /// An IPv6 address (16 bytes).
  case aaaa([UInt8])
  /// NS and CNAME: a name.
  case name(DNSName)
  case soa(SOAData)
  case tsig(TSIGData)
  /// Any other type, OPT included, and empty data (RFC 2136 deletes and prerequisites).
  case raw([UInt8])

  /// Decodes `length` bytes of data of `type` at the reader's position.
  static func read(type: UInt16, length: Int, from reader: inout DNSReader) throws(DNSParseError)
    -> DNSRecordData
  {
    guard length <= reader.remaining else { throw .truncated }
    let end = reader.position + length
    if length == 0 { return .raw([]) }
    let data: DNSRecordData
    switch type {
    case DNSType.a:
      guard length == 4 else { throw .badRecordData(type: type) }
      data = .a(try reader.take(4))
    case DNSType.aaaa:
      guard length == 16 else { throw .badRecordData(type: type) }
      data = .aaaa(try reader.take(16))
    case DNSType.ns, DNSType.cname:
      data = .name(try reader.name())
    case DNSType.soa:
      data = .soa(
        SOAData(
          primary: try reader.name(), mailbox: try reader.name(), serial: try reader.u32(),
          refresh: try reader.u32(), retry: try reader.u32(), expire: try reader.u32(),
          minimum: try reader.u32()))
    case DNSType.tsig:
      let algorithm = try reader.name()
      let high = UInt64(try reader.u16())
      let low = UInt64(try reader.u32())
      let fudge = try reader.u16()
      let mac = try reader.take(Int(try reader.u16()))
      let originalID = try reader.u16()
      let error = try reader.u16()
      let other = try reader.take(Int(try reader.u16()))
      data = .tsig(
        TSIGData(
          algorithm: algorithm, timeSigned: high << 32 | low, fudge: fudge, mac: mac, originalID: originalID,
          error: error, otherData: other))
    default:
      data = .raw(try reader.take(length))
    }
    guard reader.position == end else { throw .badRecordData(type: type) }
    return data
  }

  /// Text form (`192.0.2.1`, `2001:db8::1`, `host.example.com`, ...).
  public var text: String {
    switch self {
    case .a(let bytes): bytes.map(String.init).joined(separator: ".")
    case .aaaa(let bytes): IPAddressText.ipv6(bytes)
    case .name(let name): name.description
    case .soa(let soa): "\(soa.primary) \(soa.mailbox) \(soa.serial)"
    case .tsig(let tsig): "TSIG \(tsig.algorithm)"
    case .raw(let bytes): "\\# \(bytes.count)"
    }
  }
}
