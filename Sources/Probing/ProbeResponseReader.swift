import Foundation

/// Reads an HTTP/1.1 response incrementally: the status line and headers, then at most the first 5,120 bytes of
/// the body (de-chunked), which is all Route53 looks at.
struct ProbeResponseReader {
  /// Largest response head accepted.
  static let maxHeadBytes = 16 * 1024
  /// Body bytes kept (Route53's search limit).
  static let bodyLimit = 5120

  private var head: [UInt8] = []
  private(set) var status: Int?
  private var contentLength: Int?
  private var chunked = false
  private var rawBody: [UInt8] = []
  private(set) var isComplete = false
  /// HTTP/1.1 without `Connection: close`.
  private var persistent = false

  /// Whether the status line and headers have arrived.
  var hasHead: Bool { status != nil }

  /// Feeds bytes read from the socket; throws a sentence when the response is malformed.
  mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(ProbeFailure) {
    guard !isComplete else { return }
    if status == nil {
      head.append(contentsOf: bytes)
      guard let end = ProbeResponseReader.headEnd(head) else {
        if head.count > ProbeResponseReader.maxHeadBytes {
          throw ProbeFailure("the response headers exceed \(ProbeResponseReader.maxHeadBytes / 1024) KiB")
        }
        return
      }
      try parseHead(head[..<end])
      rawBody.append(contentsOf: head[(end + 4)...])
      head = []
    } else {
      rawBody.append(contentsOf: bytes)
    }
    updateCompletion()
  }

  /// Whether the connection can carry another request: a persistent HTTP/1.1 response read to its last byte
  /// and nothing after it (a body cut at the limit, a body ending at close or a 1xx answer close it).
  var isReusable: Bool {
    guard let status, persistent, isComplete else { return false }
    if status == 204 || status == 304 { return rawBody.isEmpty }
    if (100..<200).contains(status) { return false }
    if chunked { return ProbeResponseReader.chunkedLength(rawBody) == rawBody.count }
    guard let contentLength else { return false }
    return rawBody.count == contentLength
  }

  /// The body kept so far, de-chunked and cut at the limit.
  var body: [UInt8] {
    let decoded = chunked ? ProbeResponseReader.dechunk(rawBody) : rawBody
    return Array(decoded.prefix(ProbeResponseReader.bodyLimit))
  }

  private mutating func updateCompletion() {
    guard let status else { return }
    if status == 204 || status == 304 || (100..<200).contains(status) {
      isComplete = true
    } else if chunked {
      isComplete =
        ProbeResponseReader.dechunk(rawBody).count >= ProbeResponseReader.bodyLimit
        || ProbeResponseReader.hasLastChunk(rawBody)
        || rawBody.count >= ProbeResponseReader.bodyLimit * 2
    } else {
      isComplete = rawBody.count >= min(contentLength ?? Int.max, ProbeResponseReader.bodyLimit)
    }
  }

  private mutating func parseHead(_ bytes: ArraySlice<UInt8>) throws(ProbeFailure) {
    // By hand on the bytes: the status line, then only the three headers that matter (no String per line).
    let lineEnd = ProbeResponseReader.lineEnd(bytes, from: bytes.startIndex)
    let statusLine = bytes[bytes.startIndex..<lineEnd]
    guard let code = ProbeResponseReader.statusCode(statusLine) else {
      let text = String(decoding: statusLine, as: UTF8.self)
      throw ProbeFailure("the answer is not an HTTP/1.x response (\"\(text.prefix(40))\")")
    }
    // "HTTP/1.1": persistent unless it says close; HTTP/1.0 closes (it never asks to keep alive here).
    persistent = statusLine[statusLine.startIndex + 7] == UInt8(ascii: "1")
    var index = lineEnd
    while index < bytes.endIndex {
      index += 2
      let end = ProbeResponseReader.lineEnd(bytes, from: index)
      let line = bytes[index..<min(end, bytes.endIndex)]
      index = end
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
      let name = line[line.startIndex..<colon]
      let value = line[(colon + 1)...]
      if ProbeResponseReader.equalsIgnoringCase(name, "content-length") {
        contentLength = ProbeResponseReader.decimal(value)
      } else if ProbeResponseReader.equalsIgnoringCase(name, "transfer-encoding") {
        if ProbeResponseReader.contains(value, "chunked") { chunked = true }
      } else if ProbeResponseReader.equalsIgnoringCase(name, "connection") {
        if ProbeResponseReader.contains(value, "close") { persistent = false }
      }
    }
    status = code
  }

  /// The status code of an `HTTP/1.x NNN ...` line, nil when it is not one.
  static func statusCode(_ line: ArraySlice<UInt8>) -> Int? {
    let prefix: [UInt8] = Array("HTTP/1.".utf8)
    guard line.count >= 12, line.prefix(7).elementsEqual(prefix) else { return nil }
    let digits = line.dropFirst(8).drop { $0 == UInt8(ascii: " ") }.prefix { $0 != UInt8(ascii: " ") }
    guard line[line.startIndex + 8] == UInt8(ascii: " "), digits.count == 3, let code = decimal(digits),
      (100...999).contains(code)
    else { return nil }
    return code
  }

  /// Where the line starting at `index` ends (its CR, or the end).
  private static func lineEnd(_ bytes: ArraySlice<UInt8>, from index: Int) -> Int {
    var cursor = index
    while cursor + 1 < bytes.endIndex, !(bytes[cursor] == 13 && bytes[cursor + 1] == 10) { cursor += 1 }
    return cursor + 1 < bytes.endIndex ? cursor : bytes.endIndex
  }

  /// A non-negative decimal number, spaces and tabs around it ignored; nil otherwise.
  private static func decimal(_ bytes: ArraySlice<UInt8>) -> Int? {
    let digits = bytes.drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 }.reversed()
    guard !digits.isEmpty, digits.count <= 18 else { return nil }
    var value = 0
    for byte in digits {
      guard (48...57).contains(byte) else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value
  }

  /// Whether a header name equals `lowercase`, ignoring ASCII case.
  private static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
    guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
    let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
    return zip(bytes, expected).allSatisfy { ($0 | 0x20) == $1 }
  }

  /// Whether a header value contains `lowercase`, ignoring ASCII case.
  private static func contains(_ bytes: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
    let needle = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
    guard bytes.count >= needle.count else { return false }
    for start in bytes.startIndex...(bytes.endIndex - needle.count)
    where zip(bytes[start...], needle).allSatisfy({ ($0 | 0x20) == $1 }) {
      return true
    }
    return false
  }

  static func headEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4)
    where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
      return index
    }
    return nil
  }

  /// Whether the zero-size chunk that ends a chunked body has arrived.
  static func hasLastChunk(_ raw: [UInt8]) -> Bool {
    var index = 0
    while let (size, dataStart) = chunkHeader(raw, at: index) {
      if size == 0 { return true }
      index = dataStart + size + 2
    }
    return false
  }

  /// The length of a complete chunked body without trailers (through the CRLF after the zero-size chunk), nil
  /// while it is incomplete or when it has trailers.
  static func chunkedLength(_ raw: [UInt8]) -> Int? {
    var index = 0
    while let (size, dataStart) = chunkHeader(raw, at: index) {
      if size == 0 {
        guard dataStart + 1 < raw.count, raw[dataStart] == 13, raw[dataStart + 1] == 10 else { return nil }
        return dataStart + 2
      }
      index = dataStart + size + 2
    }
    return nil
  }

  /// The data of the complete and partial chunks in `raw`.
  static func dechunk(_ raw: [UInt8]) -> [UInt8] {
    var result: [UInt8] = []
    var index = 0
    while let (size, dataStart) = chunkHeader(raw, at: index), size > 0 {
      let end = min(raw.count, dataStart + size)
      result.append(contentsOf: raw[dataStart..<end])
      index = dataStart + size + 2
    }
    return result
  }

  /// The size of the chunk whose header starts at `index`, and where its data starts.
  private static func chunkHeader(_ raw: [UInt8], at index: Int) -> (Int, Int)? {
    guard index < raw.count else { return nil }
    var cursor = index
    while cursor + 1 < raw.count, !(raw[cursor] == 13 && raw[cursor + 1] == 10) { cursor += 1 }
    guard cursor + 1 < raw.count else { return nil }
    let line = String(decoding: raw[index..<cursor], as: UTF8.self)
    let sizeText = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard let size = Int(sizeText, radix: 16), size >= 0 else { return nil }
    return (size, cursor + 2)
  }
}

/// Why a probe produced no usable response, as words for the observation.
struct ProbeFailure: Error, Sendable {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
