/// Appends JSON text to a byte buffer, for documents written often enough that reflection (`JSONEncoder`) costs
/// too much: the caller writes keys in order and values one by one.
///
/// Strings are escaped as Foundation's `JSONEncoder` escapes them with `.withoutEscapingSlashes` (so a document
/// written here has the same bytes as one encoded there): `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control
/// characters as `\u00XX` (lowercase hex), everything else as UTF-8.
public struct JSONWriter: Sendable {
  /// The text written so far.
  public var bytes: [UInt8]

  /// An empty writer with room for `capacity` bytes.
  public init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// Appends text that is already JSON (punctuation, a key with its colon, a fragment written before).
  public mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends bytes that are already JSON.
  public mutating func raw(_ json: [UInt8]) { bytes.append(contentsOf: json) }

  /// Appends `text` as a JSON string literal.
  public mutating func string(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): append("\\\"")
      case UInt8(ascii: "\\"): append("\\\\")
      case 0x08: append("\\b")
      case 0x0C: append("\\f")
      case UInt8(ascii: "\n"): append("\\n")
      case UInt8(ascii: "\r"): append("\\r")
      case UInt8(ascii: "\t"): append("\\t")
      case 0x00..<0x20:
        append("\\u00")
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0x0F)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends `text` as a string literal, or `null`.
  public mutating func string(_ text: String?) {
    if let text { string(text) } else { raw("null") }
  }

  /// Appends `true` or `false`.
  public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

  /// Appends an integer.
  public mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

  /// Appends an array of string literals.
  public mutating func strings(_ texts: [String]) {
    bytes.append(UInt8(ascii: "["))
    for (index, text) in texts.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      string(text)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// Appends fragments (each already JSON) separated by commas, in brackets.
  public mutating func array(_ fragments: [[UInt8]]) {
    bytes.append(UInt8(ascii: "["))
    for (index, fragment) in fragments.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(contentsOf: fragment)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  private mutating func append(_ text: StaticString) { raw(text) }

  private static let hexDigits = Array("0123456789abcdef".utf8)
}
