/// One resource record: owner name, type, class, TTL and data.
public struct DNSResourceRecord: Sendable, Hashable {
  public var name: DNSName
  public var type: UInt16
  public var recordClass: UInt16
  public var ttl: UInt32
  public var data: DNSRecordData
  public init(
    name: DNSName, type: UInt16, recordClass: UInt16 = DNSClass.in, ttl: UInt32, data: DNSRecordData
  ) {
    self.name = name
    self.type = type
    self.recordClass = recordClass
    self.ttl = ttl
    self.data = data
  }
}

/// One question: name, type, class.
public struct DNSQuestion: Sendable, Hashable {
  public var name: DNSName
  public var type: UInt16
  public var questionClass: UInt16
  public init(name: DNSName, type: UInt16, questionClass: UInt16 = DNSClass.in) {
    self.name = name
    self.type = type
    self.questionClass = questionClass
  }
}

/// The EDNS(0) OPT pseudo-record's fields (RFC 6891).
public struct EDNSOptions: Sendable, Hashable {
  /// The sender's UDP payload size.
  public var udpPayloadSize: UInt16
  /// The upper 8 bits of the extended response code.
  public var extendedRCode: UInt8
  public var version: UInt8
  /// The DO bit and the rest of the flags.
  public var flags: UInt16
  public init(udpPayloadSize: UInt16, extendedRCode: UInt8 = 0, version: UInt8 = 0, flags: UInt16 = 0) {
    self.udpPayloadSize = udpPayloadSize
    self.extendedRCode = extendedRCode
    self.version = version
    self.flags = flags
  }

  /// The OPT record carrying these options (no options data).
  public var record: DNSResourceRecord {
    DNSResourceRecord(
      name: .root, type: DNSType.opt, recordClass: udpPayloadSize,
      ttl: UInt32(extendedRCode) << 24 | UInt32(version) << 16 | UInt32(flags), data: .raw([]))
  }

  /// The options an OPT record carries.
  public init(_ record: DNSResourceRecord) {
    udpPayloadSize = record.recordClass
    extendedRCode = UInt8(record.ttl >> 24)
    version = UInt8((record.ttl >> 16) & 0xFF)
    flags = UInt16(record.ttl & 0xFFFF)
  }
}
