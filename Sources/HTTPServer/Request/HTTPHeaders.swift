/// An ordered list of header fields; names compare case-insensitively (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
  public typealias Element = (name: String, value: String)
  @usableFromInline var fields: [Element]

  public init() { fields = [] }
  public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }
  public init(dictionaryLiteral elements: (String, String)...) {
    fields = elements.map { (name: $0.0, value: $0.1) }
  }

  public var count: Int { fields.count }
  public var isEmpty: Bool { fields.isEmpty }
  public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

  /// The first value of the named field, or nil.
  public subscript(name: String) -> String? {
    for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
    return nil
  }

  /// Every value of the named field, in order.
  public func values(for name: String) -> [String] {
    fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
  }

  /// Whether the named field is present.
  public func contains(_ name: String) -> Bool { self[name] != nil }

  /// Appends a field (fields may repeat).
  public mutating func add(name: String, value: String) { fields.append((name: name, value: value)) }

  /// Replaces every field of that name by one, or appends it.
  public mutating func replaceOrAdd(name: String, value: String) {
    if let index = fields.firstIndex(where: { $0.name.equalsIgnoringASCIICase(name) }) {
      fields[index].value = value
      fields.removeAll { $0.name.equalsIgnoringASCIICase(name) && $0.value != value }
      if !fields.contains(where: { $0.name.equalsIgnoringASCIICase(name) }) {
        fields.append((name: name, value: value))
      }
    } else {
      fields.append((name: name, value: value))
    }
  }

  /// Removes every field of that name.
  public mutating func remove(name: String) { fields.removeAll { $0.name.equalsIgnoringASCIICase(name) } }

  /// Whether a comma-separated field (like Connection) holds a token, ignoring case.
  public func containsToken(_ token: String, in name: String) -> Bool {
    for field in fields where field.name.equalsIgnoringASCIICase(name) {
      for part in field.value.split(separator: ",")
      where part.trimmingASCIISpaces().equalsIgnoringASCIICase(token) {
        return true
      }
    }
    return false
  }

  public var description: String { fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n") }
}

extension StringProtocol {
  /// ASCII case-insensitive comparison, without allocating.
  @inlinable
  public func equalsIgnoringASCIICase<S: StringProtocol>(_ other: S) -> Bool {
    let a = utf8
    let b = other.utf8
    guard a.count == b.count else { return false }
    let fast = a.withContiguousStorageIfAvailable { x in
      b.withContiguousStorageIfAvailable { y in asciiCaseInsensitiveEqual(x, y) }
    }
    if let result = fast ?? nil { return result }
    for (x, y) in zip(a, b) where x != y {
      let lx = x | 0x20
      guard lx == y | 0x20, lx >= 0x61, lx <= 0x7A else { return false }
    }
    return true
  }

  /// The text without leading and trailing spaces and tabs.
  func trimmingASCIISpaces() -> SubSequence {
    var start = startIndex
    var end = endIndex
    while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
    while end > start {
      let before = index(before: end)
      guard self[before] == " " || self[before] == "\t" else { break }
      end = before
    }
    return self[start..<end]
  }
}

/// Byte-wise ASCII case-insensitive equality of two buffers of the same length.
@inlinable
func asciiCaseInsensitiveEqual(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
  for i in 0..<x.count where x[i] != y[i] {
    let lx = x[i] | 0x20
    guard lx == y[i] | 0x20, lx >= 0x61, lx <= 0x7A else { return false }
  }
  return true
}
