/// IPv4 and IPv6 addresses between text and bytes, without the C library (so the parser fuzzes alone).
public enum IPAddressText {
  /// The 4 bytes of a dotted IPv4 address.
  public static func ipv4(_ text: String) -> [UInt8]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var bytes: [UInt8] = []
    for part in parts {
      guard !part.isEmpty, part.count <= 3, let value = UInt8(part) else { return nil }
      bytes.append(value)
    }
    return bytes
  }

  /// The 16 bytes of an IPv6 address (`::` allowed; a trailing dotted IPv4 part allowed).
  public static func ipv6(_ text: String) -> [UInt8]? {
    var head: [UInt16] = []
    var tail: [UInt16] = []
    var sawGap = false
    let halves = text.components(separatedByString: "::")
    guard halves.count <= 2 else { return nil }
    func groups(_ part: String) -> [UInt16]? {
      if part.isEmpty { return [] }
      var result: [UInt16] = []
      let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
      for (index, piece) in pieces.enumerated() {
        if index == pieces.count - 1, piece.contains("."), let v4 = ipv4(String(piece)) {
          result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
          result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
          continue
        }
        guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
        result.append(value)
      }
      return result
    }
    guard let first = groups(halves[0]) else { return nil }
    head = first
    if halves.count == 2 {
      sawGap = true
      guard let second = groups(halves[1]) else { return nil }
      tail = second
    }
    let total = head.count + tail.count
    guard sawGap ? total <= 7 : total == 8 else { return nil }
    let all: [UInt16] = head + [UInt16](repeating: 0, count: 8 - total) + tail
    var bytes: [UInt8] = []
    for group in all {
      bytes.append(UInt8(group >> 8))
      bytes.append(UInt8(group & 0xFF))
    }
    return bytes
  }

  /// The text of 16 bytes (lowercase hex, the longest zero run as `::`).
  public static func ipv6(_ bytes: [UInt8]) -> String {
    guard bytes.count == 16 else { return "" }
    var groups: [UInt16] = []
    for index in 0..<8 {
      let high = UInt16(bytes[index * 2])
      let low = UInt16(bytes[index * 2 + 1])
      groups.append(high << 8 | low)
    }
    var bestStart = -1
    var bestLength = 0
    var index = 0
    while index < 8 {
      if groups[index] == 0 {
        var end = index
        while end < 8 && groups[end] == 0 { end += 1 }
        if end - index > bestLength && end - index > 1 {
          bestStart = index
          bestLength = end - index
        }
        index = end
      } else {
        index += 1
      }
    }
    func hex(_ range: Range<Int>) -> String {
      groups[range].map { String($0, radix: 16) }.joined(separator: ":")
    }
    if bestStart < 0 { return hex(0..<8) }
    return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
  }
}

extension String {
  /// Splits on a multi-character separator (Foundation-free).
  fileprivate func components(separatedByString separator: String) -> [String] {
    var result: [String] = []
    var rest = Substring(self)
    while let range = rest.firstRange(of: separator) {
      result.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    result.append(String(rest))
    return result
  }
}
