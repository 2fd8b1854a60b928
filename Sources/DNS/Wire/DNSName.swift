/// A domain name as labels of bytes (no trailing root label). Comparisons ignore ASCII case.
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
  /// The labels, left to right, as received (case kept).
  public var labels: [[UInt8]]

  /// A name of labels.
  public init(labels: [[UInt8]]) { self.labels = labels }

  /// A name from text (`api.example.com`, trailing dot optional); nil when a label is empty or too long.
  public init?(_ text: String) {
    var trimmed = Substring(text)
    if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
    if trimmed.isEmpty {
      labels = []
      return
    }
    var result: [[UInt8]] = []
    for part in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
      let bytes = Array(part.utf8)
      guard !bytes.isEmpty, bytes.count <= 63 else { return nil }
      result.append(bytes)
    }
    guard result.reduce(1, { $0 + $1.count + 1 }) <= 255 else { return nil }
    labels = result
  }

  /// The root name.
  public static let root = DNSName(labels: [])

  /// Lowercase dotted text without the trailing dot (`.` for the root).
  public var description: String {
    labels.isEmpty ? "." : labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
  }

  /// The same name with ASCII letters lowercased.
  public var lowercased: DNSName { DNSName(labels: labels.map(Self.lower)) }

  /// The name's uncompressed wire form with ASCII lowercased (the key of lookups and TSIG's canonical form).
  public var canonicalWire: [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(labels.reduce(1) { $0 + $1.count + 1 })
    for label in labels {
      bytes.append(UInt8(label.count))
      bytes += Self.lower(label)
    }
    bytes.append(0)
    return bytes
  }

  /// Whether this name is `other` or below it (case-insensitive).
  public func isSubdomain(of other: DNSName) -> Bool {
    guard labels.count >= other.labels.count else { return false }
    let offset = labels.count - other.labels.count
    for index in 0..<other.labels.count
    where Self.lower(labels[offset + index]) != Self.lower(other.labels[index]) {
      return false
    }
    return true
  }

  /// Case-insensitive equality.
  public func matches(_ other: DNSName) -> Bool {
    labels.count == other.labels.count && isSubdomain(of: other)
  }

  static func lower(_ label: [UInt8]) -> [UInt8] {
    label.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
  }
}
