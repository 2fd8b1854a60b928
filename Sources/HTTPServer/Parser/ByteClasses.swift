/// Lookup tables for the byte classes of RFC 9110 §5.6.
enum ByteClasses {
  /// `tchar`: the characters of a token (method, field name).
  static let token: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
    for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
    for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
    for char in "!#$%&'*+-.^_`|~".utf8 { table[Int(char)] = true }
    return table
  }()

  /// Bytes allowed in a field value: VCHAR, obs-text, SP and HTAB.
  static let fieldValue: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for byte in 0x21...0x7E { table[byte] = true }
    for byte in 0x80...0xFF { table[byte] = true }
    table[0x20] = true
    table[0x09] = true
    return table
  }()

  /// Bytes allowed in a request-target: visible ASCII.
  static let target: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for byte in 0x21...0x7E { table[byte] = true }
    return table
  }()
}
