/// Builds a message's bytes, compressing names against the ones already written.
public struct DNSWriter {
  /// The bytes so far.
  public private(set) var bytes: [UInt8] = []
  /// Offsets of every name suffix written, keyed by its lowercase wire form.
  private var offsets: [[UInt8]: Int] = [:]

  public init() { bytes.reserveCapacity(512) }

  public mutating func u8(_ value: UInt8) { bytes.append(value) }
  public mutating func u16(_ value: UInt16) {
    bytes.append(UInt8(value >> 8))
    bytes.append(UInt8(value & 0xFF))
  }
  public mutating func u32(_ value: UInt32) {
    u16(UInt16(value >> 16))
    u16(UInt16(value & 0xFFFF))
  }
  public mutating func append(_ data: [UInt8]) { bytes += data }

  /// Overwrites two bytes already written (a length or a count).
  public mutating func patch16(at offset: Int, _ value: UInt16) {
    bytes[offset] = UInt8(value >> 8)
    bytes[offset + 1] = UInt8(value & 0xFF)
  }

  /// A name, as a pointer to an earlier copy of its longest known suffix when there is one.
  public mutating func name(_ name: DNSName, compress: Bool = true) {
    let labels = name.labels
    for index in 0..<labels.count {
      let suffix = DNSName(labels: Array(labels[index...])).canonicalWire
      if compress, let offset = offsets[suffix] {
        u16(0xC000 | UInt16(offset))
        return
      }
      if compress, bytes.count < 0x3FFF { offsets[suffix] = bytes.count }
      u8(UInt8(labels[index].count))
      append(labels[index])
    }
    u8(0)
  }

  public mutating func question(_ question: DNSQuestion) {
    name(question.name)
    u16(question.type)
    u16(question.questionClass)
  }

  /// A record; names inside NS, CNAME and SOA data are compressed too, TSIG's never (RFC 8945).
  public mutating func record(_ record: DNSResourceRecord) {
    name(record.name, compress: record.type != DNSType.tsig)
    u16(record.type)
    u16(record.recordClass)
    u32(record.ttl)
    let lengthOffset = bytes.count
    u16(0)
    switch record.data {
    case .a(let data), .aaaa(let data), .raw(let data): append(data)
    case .name(let target): name(target)
    case .soa(let soa):
      name(soa.primary)
      name(soa.mailbox)
      for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { u32(value) }
    case .tsig(let tsig):
      name(tsig.algorithm, compress: false)
      u16(UInt16(tsig.timeSigned >> 32 & 0xFFFF))
      u32(UInt32(tsig.timeSigned & 0xFFFF_FFFF))
      u16(tsig.fudge)
      u16(UInt16(tsig.mac.count))
      append(tsig.mac)
      u16(tsig.originalID)
      u16(tsig.error)
      u16(UInt16(tsig.otherData.count))
      append(tsig.otherData)
    }
    patch16(at: lengthOffset, UInt16(bytes.count - lengthOffset - 2))
  }
}
