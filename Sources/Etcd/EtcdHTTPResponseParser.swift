import Foundation

/// Reads one HTTP/1.1 response as its bytes arrive: the status line, the headers, then a body framed by
/// `Content-Length`, by `Transfer-Encoding: chunked`, or by the end of the connection. Bodies are kept whole (etcd
/// answers are JSON documents).
struct EtcdHTTPResponseParser {
  private enum State {
    case head
    case fixed(remaining: Int)
    case chunkSize
    case chunkData(remaining: Int)
    case chunkEnd
    case trailers
    case untilClose
    case done
  }

  private var state = State.head
  private var buffer: [UInt8] = []
  private var index = 0
  /// The status code, 0 until the head has arrived.
  private(set) var status = 0
  /// The body so far (de-chunked).
  private(set) var body: [UInt8] = []
  /// Whether the connection may carry another request after this response.
  private(set) var keepAlive = true

  /// Whether the whole response has arrived.
  var isComplete: Bool {
    if case .done = state { return true }
    return false
  }

  /// Whether any byte of the response has arrived.
  var hasStarted: Bool { !buffer.isEmpty || status != 0 }

  /// Takes the body bytes that arrived so far (a streamed body, such as a watch's, is read in pieces).
  mutating func takeBody() -> [UInt8] {
    defer { body.removeAll(keepingCapacity: true) }
    return body
  }

  /// Takes the next bytes; throws when they are not HTTP/1.1.
  mutating func consume(_ bytes: ArraySlice<UInt8>) throws(EtcdTransportFailure) {
    buffer.append(contentsOf: bytes)
    while try step() {}
    if index > 65_536 {
      buffer.removeFirst(index)
      index = 0
    }
  }

  /// The connection ended; answers whether that completed the response (a body framed by the end of the
  /// connection).
  mutating func finishAtEndOfStream() -> Bool {
    guard case .untilClose = state else { return isComplete }
    state = .done
    return true
  }

  /// Advances by one element; false when it needs more bytes (or is done).
  private mutating func step() throws(EtcdTransportFailure) -> Bool {
    switch state {
    case .head:
      guard let end = find([13, 10, 13, 10]) else {
        if buffer.count - index > 65_536 {
          throw EtcdTransportFailure(detail: "the response head is too long")
        }
        return false
      }
      try parseHead(String(decoding: buffer[index..<end], as: UTF8.self))
      index = end + 4
      return true
    case .fixed(let remaining):
      let count = min(remaining, buffer.count - index)
      body.append(contentsOf: buffer[index..<(index + count)])
      index += count
      state = remaining == count ? .done : .fixed(remaining: remaining - count)
      return remaining == count
    case .chunkSize:
      guard let line = takeLine() else { return false }
      let digits = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
      guard let size = Int(digits.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
        throw EtcdTransportFailure(detail: "the response has a malformed chunk size \"\(line.prefix(20))\"")
      }
      state = size == 0 ? .trailers : .chunkData(remaining: size)
      return true
    case .chunkData(let remaining):
      let count = min(remaining, buffer.count - index)
      guard count > 0 else { return false }
      body.append(contentsOf: buffer[index..<(index + count)])
      index += count
      state = remaining == count ? .chunkEnd : .chunkData(remaining: remaining - count)
      return true
    case .chunkEnd:
      guard let line = takeLine() else { return false }
      guard line.isEmpty else {
        throw EtcdTransportFailure(detail: "a response chunk does not end with CRLF")
      }
      state = .chunkSize
      return true
    case .trailers:
      guard let line = takeLine() else { return false }
      if line.isEmpty { state = .done }
      return true
    case .untilClose:
      body.append(contentsOf: buffer[index...])
      index = buffer.count
      return false
    case .done:
      return false
    }
  }

  private mutating func parseHead(_ head: String) throws(EtcdTransportFailure) {
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst()
    let parts = statusLine.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
      throw EtcdTransportFailure(
        detail: "the member did not answer in HTTP/1.1: \"\(statusLine.prefix(40))\"")
    }
    status = code
    var length: Int?
    var chunked = false
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
      switch name {
      case "content-length": length = Int(value)
      case "transfer-encoding": chunked = value.contains("chunked")
      case "connection": if value.contains("close") { keepAlive = false }
      default: break
      }
    }
    if parts[0] == "HTTP/1.0" { keepAlive = false }
    if code == 204 || code == 304 || (100..<200).contains(code) {
      state = .done
    } else if chunked {
      state = .chunkSize
    } else if let length {
      state = length == 0 ? .done : .fixed(remaining: length)
    } else {
      keepAlive = false
      state = .untilClose
    }
  }

  /// The next CRLF-terminated line (without the CRLF), consumed; nil until it has arrived.
  private mutating func takeLine() -> String? {
    guard let end = find([13, 10]) else { return nil }
    let line = String(decoding: buffer[index..<end], as: UTF8.self)
    index = end + 2
    return line
  }

  private func find(_ needle: [UInt8]) -> Int? {
    guard buffer.count - index >= needle.count else { return nil }
    var position = index
    while position + needle.count <= buffer.count {
      if buffer[position] == needle[0], Array(buffer[position..<(position + needle.count)]) == needle {
        return position
      }
      position += 1
    }
    return nil
  }
}
