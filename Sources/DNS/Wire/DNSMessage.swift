/// A DNS message (RFC 1035 §4): header, question, answer, authority and additional sections.
public struct DNSMessage: Sendable, Hashable {
  public var id: UInt16
  /// The header's second 16 bits: QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE.
  public var flags: UInt16
  public var questions: [DNSQuestion]
  public var answers: [DNSResourceRecord]
  public var authorities: [DNSResourceRecord]
  public var additionals: [DNSResourceRecord]

  public init(
    id: UInt16, flags: UInt16 = 0, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
    authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []
  ) {
    self.id = id
    self.flags = flags
    self.questions = questions
    self.answers = answers
    self.authorities = authorities
    self.additionals = additionals
  }

  // MARK: Header bits

  public var isResponse: Bool {
    get { flags & 0x8000 != 0 }
    set { set(0x8000, newValue) }
  }
  public var opcode: UInt8 {
    get { UInt8((flags >> 11) & 0x0F) }
    set { flags = flags & ~0x7800 | UInt16(newValue & 0x0F) << 11 }
  }
  public var isAuthoritative: Bool {
    get { flags & 0x0400 != 0 }
    set { set(0x0400, newValue) }
  }
  public var isTruncated: Bool {
    get { flags & 0x0200 != 0 }
    set { set(0x0200, newValue) }
  }
  public var recursionDesired: Bool {
    get { flags & 0x0100 != 0 }
    set { set(0x0100, newValue) }
  }
  public var recursionAvailable: Bool {
    get { flags & 0x0080 != 0 }
    set { set(0x0080, newValue) }
  }
  /// The header's 4-bit response code.
  public var rcode: UInt16 {
    get { flags & 0x000F }
    set { flags = flags & ~0x000F | newValue & 0x000F }
  }

  private mutating func set(_ bit: UInt16, _ on: Bool) { flags = on ? flags | bit : flags & ~bit }

  /// The EDNS options, when the additional section holds an OPT record.
  public var edns: EDNSOptions? {
    additionals.first { $0.type == DNSType.opt }.map(EDNSOptions.init)
  }

  /// The TSIG record, when the message is signed (it must be the last additional record).
  public var tsig: (name: DNSName, data: TSIGData)? {
    guard let last = additionals.last, last.type == DNSType.tsig, case .tsig(let data) = last.data else {
      return nil
    }
    return (last.name, data)
  }

  // MARK: Parsing

  /// The smallest message: a header.
  public static let headerSize = 12

  /// Parses a whole message; throws when the bytes are not one.
  public init(parsing bytes: [UInt8]) throws(DNSParseError) {
    var reader = DNSReader(bytes)
    id = try reader.u16()
    flags = try reader.u16()
    let counts = [try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16()]
    // A question takes at least 5 bytes and a record at least 11: counts beyond that are lies.
    let records = Int(counts[1]) + Int(counts[2]) + Int(counts[3])
    guard Int(counts[0]) * 5 + records * 11 <= bytes.count - Self.headerSize else { throw .tooManyRecords }
    questions = []
    for _ in 0..<counts[0] {
      questions.append(
        DNSQuestion(name: try reader.name(), type: try reader.u16(), questionClass: try reader.u16()))
    }
    answers = try Self.records(counts[1], &reader)
    authorities = try Self.records(counts[2], &reader)
    additionals = try Self.records(counts[3], &reader)
  }

  private static func records(_ count: UInt16, _ reader: inout DNSReader) throws(DNSParseError)
    -> [DNSResourceRecord]
  {
    var result: [DNSResourceRecord] = []
    for _ in 0..<count {
      let name = try reader.name()
      let type = try reader.u16()
      let recordClass = try reader.u16()
      let ttl = try reader.u32()
      let length = Int(try reader.u16())
      let data = try DNSRecordData.read(type: type, length: length, from: &reader)
      result.append(DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data))
    }
    return result
  }

  /// Where the last record of the message starts (TSIG checks the bytes before it), nil without records.
  public static func offsetOfLastRecord(in bytes: [UInt8]) throws(DNSParseError) -> Int? {
    var reader = DNSReader(bytes, at: 4)
    let questions = try reader.u16()
    let records = Int(try reader.u16()) + Int(try reader.u16()) + Int(try reader.u16())
    for _ in 0..<questions {
      _ = try reader.name()
      _ = try reader.take(4)
    }
    var last: Int?
    for _ in 0..<records {
      last = reader.position
      _ = try reader.name()
      _ = try reader.take(8)
      _ = try reader.take(Int(try reader.u16()))
    }
    return last
  }

  // MARK: Serializing

  /// The message's wire form, names compressed.
  public func serialized() -> [UInt8] {
    var writer = DNSWriter()
    writeHeader(&writer, counts: [questions.count, answers.count, authorities.count, additionals.count])
    for question in questions { writer.question(question) }
    for record in answers + authorities + additionals { writer.record(record) }
    return writer.bytes
  }

  /// Writes the header with explicit section counts.
  func writeHeader(_ writer: inout DNSWriter, counts: [Int]) {
    writer.u16(id)
    writer.u16(flags)
    for count in counts { writer.u16(UInt16(clamping: count)) }
  }
}
