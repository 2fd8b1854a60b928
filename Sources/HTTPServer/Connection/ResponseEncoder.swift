/// Serializes HTTP/1.1 response heads into a byte buffer without intermediate strings.
enum ResponseEncoder {
  /// `HTTP/1.1 200 OK\r\n` for every code, built once.
  static let statusLines: [[UInt8]] = (0..<600).map {
    Array("HTTP/1.1 \($0) \(Status.standardPhrase($0))\r\n".utf8)
  }

  /// Appends the status line, Date, the handler's headers and the framing headers, then the empty line.
  static func writeHead(
    status: Status, headers: HTTPHeaders, contentLength: Int?, chunked: Bool, close: Bool,
    dateLine: [UInt8], into out: inout [UInt8]
  ) {
    if status.code < 600, status.reasonPhrase == Status.standardPhrase(status.code) {
      out.append(contentsOf: statusLines[status.code])
    } else {
      out.append(contentsOf: "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n".utf8)
    }
    out.append(contentsOf: dateLine)
    for field in headers.fields where !isFramingHeader(field.name) {
      out.append(contentsOf: field.name.utf8)
      out.append(0x3A)
      out.append(0x20)
      out.append(contentsOf: field.value.utf8)
      out.append(0x0D)
      out.append(0x0A)
    }
    if let contentLength {
      out.append(contentsOf: "Content-Length: ".utf8)
      appendDecimal(contentLength, to: &out)
      out.append(0x0D)
      out.append(0x0A)
    } else if chunked {
      out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
    }
    if close { out.append(contentsOf: "Connection: close\r\n".utf8) }
    out.append(0x0D)
    out.append(0x0A)
  }

  /// The server decides these itself.
  @inline(__always)
  static func isFramingHeader(_ name: String) -> Bool {
    let count = name.utf8.count
    return (count == 14 && name.equalsIgnoringASCIICase("content-length"))
      || (count == 17 && name.equalsIgnoringASCIICase("transfer-encoding"))
      || (count == 10 && name.equalsIgnoringASCIICase("connection"))
  }

  static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value < 10 {
      out.append(UInt8(0x30 + value))
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = value
    var count = 0
    withUnsafeMutableBytes(of: &digits) { raw in
      while n > 0 {
        raw[count] = UInt8(0x30 + n % 10)
        n /= 10
        count += 1
      }
      for i in stride(from: count - 1, through: 0, by: -1) { out.append(raw[i]) }
    }
  }

  /// Appends the hex size line of a chunk.
  static func appendChunkHeader(_ size: Int, to out: inout [UInt8]) {
    out.append(contentsOf: String(size, radix: 16).utf8)
    out.append(0x0D)
    out.append(0x0A)
  }
}
