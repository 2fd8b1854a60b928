import Prometheus

/// One family's lines in the text exposition (format 0.0.4): HELP, TYPE, then one sample per series.
struct StateFamily {
  private let name: String
  private(set) var text: [UInt8] = []

  init(_ family: MetricNameDescriptor, type: String = "gauge") {
    name = family.name
    text.append(contentsOf: "# HELP \(name) ".utf8)
    for byte in (family.helpText ?? "").utf8 {
      if byte == UInt8(ascii: "\\") { text.append(byte) }
      text.append(byte)
    }
    text.append(contentsOf: "\n# TYPE \(name) \(type)\n".utf8)
  }

  mutating func add(_ labels: [(String, String)], _ value: Double) {
    add(suffix: "", labels: Self.labelText(labels), "\(value)")
  }

  /// One sample `name<suffix>{labels} value`, the labels already written by `labelText` (without braces).
  mutating func add(suffix: String, labels: [UInt8], _ value: String) {
    text.append(contentsOf: name.utf8)
    text.append(contentsOf: suffix.utf8)
    if !labels.isEmpty {
      text.append(UInt8(ascii: "{"))
      text.append(contentsOf: labels)
      text.append(UInt8(ascii: "}"))
    }
    text.append(UInt8(ascii: " "))
    text.append(contentsOf: value.utf8)
    text.append(UInt8(ascii: "\n"))
  }

  /// `key="value",...` with the values escaped (backslash, quote, newline).
  static func labelText(_ labels: [(String, String)]) -> [UInt8] {
    var text: [UInt8] = []
    for (index, (key, labelValue)) in labels.enumerated() {
      if index > 0 { text.append(UInt8(ascii: ",")) }
      text.append(contentsOf: key.utf8)
      text.append(contentsOf: "=\"".utf8)
      for byte in labelValue.utf8 {
        switch byte {
        case UInt8(ascii: "\\"): text.append(contentsOf: "\\\\".utf8)
        case UInt8(ascii: "\""): text.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\n"): text.append(contentsOf: "\\n".utf8)
        default: text.append(byte)
        }
      }
      text.append(UInt8(ascii: "\""))
    }
    return text
  }
}
