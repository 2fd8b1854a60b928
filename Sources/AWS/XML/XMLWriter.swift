/// Builds XML request bodies; every text and attribute value is escaped.
public struct XMLWriter: Sendable {
  private var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

  /// An empty document with the XML declaration.
  public init() {}

  /// The document so far.
  public var document: String { output }

  /// Escapes `& < > " '` for element text and attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(character)
      }
    }
    return out
  }

  /// Writes `<name attrs>…</name>` with the content written by `body`.
  public mutating func element(
    _ name: String, attributes: [(String, String)] = [], _ body: (inout XMLWriter) -> Void
  ) {
    output += "<\(name)"
    for (key, value) in attributes { output += " \(key)=\"\(Self.escape(value))\"" }
    output += ">"
    body(&self)
    output += "</\(name)>"
  }

  /// Writes `<name>text</name>`.
  public mutating func element(_ name: String, _ text: String) {
    output += "<\(name)>\(Self.escape(text))</\(name)>"
  }

  /// Writes `<name>text</name>` only when text is present.
  public mutating func optional(_ name: String, _ text: String?) {
    if let text { element(name, text) }
  }
}
