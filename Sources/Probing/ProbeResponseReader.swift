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
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
    let statusLine = lines.first ?? ""
    let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let code = Int(parts[1]),
      (100...999).contains(code)
    else {
      throw ProbeFailure("the answer is not an HTTP/1.x response (\"\(statusLine.prefix(40))\")")
    }
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if name == "content-length" {
        contentLength = Int(value)
      } else if name == "transfer-encoding", value.lowercased().contains("chunked") {
        chunked = true
      }
    }
    status = code
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
