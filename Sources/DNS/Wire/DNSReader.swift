/// Reads big-endian fields and compressed names from a message, never past its end.
struct DNSReader {
  let bytes: [UInt8]
  var position: Int

  init(_ bytes: [UInt8], at position: Int = 0) {
    self.bytes = bytes
    self.position = position
  }

  var remaining: Int { bytes.count - position }

  mutating func u8() throws(DNSParseError) -> UInt8 {
    guard position < bytes.count else { throw .truncated }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func u16() throws(DNSParseError) -> UInt16 {
    guard position + 2 <= bytes.count else { throw .truncated }
    defer { position += 2 }
    return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
  }

  mutating func u32() throws(DNSParseError) -> UInt32 {
    let high = try u16()
    let low = try u16()
    return UInt32(high) << 16 | UInt32(low)
  }

  mutating func take(_ count: Int) throws(DNSParseError) -> [UInt8] {
    guard count >= 0, position + count <= bytes.count else { throw .truncated }
    defer { position += count }
    return Array(bytes[position..<position + count])
  }

  /// A name, following compression pointers only backwards (so no loop), at most 255 bytes long.
  mutating func name() throws(DNSParseError) -> DNSName {
    var labels: [[UInt8]] = []
    var length = 1
    var cursor = position
    var jumped = false
    // Every pointer must go strictly before the lowest offset seen so far.
    var lowest = position
    while true {
      guard cursor < bytes.count else { throw .truncated }
      let byte = bytes[cursor]
      switch byte & 0xC0 {
      case 0x00:
        let count = Int(byte)
        if count == 0 {
          if !jumped { position = cursor + 1 }
          return DNSName(labels: labels)
        }
        guard cursor + 1 + count <= bytes.count else { throw .truncated }
        length += count + 1
        guard length <= 255 else { throw .badName }
        labels.append(Array(bytes[cursor + 1..<cursor + 1 + count]))
        cursor += 1 + count
      case 0xC0:
        guard cursor + 1 < bytes.count else { throw .truncated }
        let target = Int(byte & 0x3F) << 8 | Int(bytes[cursor + 1])
        guard target < lowest else { throw .badPointer }
        if !jumped { position = cursor + 2 }
        jumped = true
        lowest = target
        cursor = target
      default:
        throw .badName
      }
    }
  }
}
