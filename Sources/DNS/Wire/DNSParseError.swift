/// Why bytes are not a DNS message: the parser's verdicts, each a sentence.
public enum DNSParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The message ends before a field it announces.
  case truncated
  /// A name is longer than 255 bytes, a label longer than 63, or uses a reserved label type.
  case badName
  /// A compression pointer points forward, at itself, or too many times.
  case badPointer
  /// A record's data does not fit its type (e.g. an A record that is not 4 bytes).
  case badRecordData(type: UInt16)
  /// More records than a message of this size can hold.
  case tooManyRecords

  public var description: String {
    switch self {
    case .truncated: "the message ends before a field it announces"
    case .badName: "a name is too long or uses a reserved label type"
    case .badPointer: "a compression pointer points forward or loops"
    case .badRecordData(let type): "the data of a type \(type) record does not fit its type"
    case .tooManyRecords: "the counts announce more records than the message holds"
    }
  }
}
