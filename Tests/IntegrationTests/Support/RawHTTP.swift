import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One HTTP/1.1 exchange over a fresh loopback connection, with full control of the request line, headers and
/// body: what URLSession will not send (no Content-Type, a wrong one, malformed JSON, an oversized body).
///
/// The blocking socket work runs on a detached thread (never the cooperative pool). A response is framed by
/// Content-Length, chunked coding, or the connection's end; a `text/event-stream` answer is returned as soon as
/// its head arrived (the stream never ends).
enum RawHTTP {
  /// A response: status, headers in order, body bytes.
  struct Answer: CustomStringConvertible, Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first header of that name (case-insensitive).
    func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or nil.
    var object: [String: Any]? {
      (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any]
    }

    /// The media type of Content-Type, lowercased, without parameters.
    var mediaType: String {
      (header("Content-Type") ?? "").split(separator: ";").first.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
      } ?? ""
    }

    var description: String {
      let head = headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name): \($0.value)" }
      let shown = body.count > 2000 ? String(decoding: body.prefix(2000), as: UTF8.self) + "…" : text
      return "\(status)\n" + head.joined(separator: "\n") + "\n\n" + shown
    }
  }

  /// Sends `method target` to 127.0.0.1:`port` with `headers` (Host, Content-Length and `Connection: close` are
  /// added) and `body`, and reads the answer; throws when nothing complete arrives within `timeout` seconds.
  static func send(
    port: Int, _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
    timeout: Double = 30
  ) async throws -> Answer {
    let result = await withCheckedContinuation {
      (continuation: CheckedContinuation<Result<Answer, HarnessError>, Never>) in
      Thread.detachNewThread {
        continuation.resume(
          returning: Result {
            try exchange(port: port, method, target, headers: headers, body: body, timeout: timeout)
          }.mapError { $0 as? HarnessError ?? HarnessError("\($0)") })
      }
    }
    return try result.get()
  }

  private static func exchange(
    port: Int, _ method: String, _ target: String, headers: [(String, String)], body: [UInt8]?,
    timeout: Double
  ) throws -> Answer {
    let fd = try connect(port: port)
    defer { close(fd) }
    sendRequest(fd, port: port, method, target, headers: headers, body: body)
    let deadline = Date().addingTimeInterval(timeout)
    var received: [UInt8] = []
    var closed = false
    var buffer = [UInt8](repeating: 0, count: 65536)
    func readMore() {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count > 0 {
        received += buffer[0..<count]
      } else if count == 0 || !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        closed = true
      }
    }
    while true {
      if let answer = try parse(received, closed: closed) { return answer }
      if closed {
        throw HarnessError(
          "\(method) \(target): the connection closed after \(received.count) bytes without a complete answer: "
            + String(decoding: received.prefix(500), as: UTF8.self))
      }
      guard Date() < deadline else {
        throw HarnessError(
          "\(method) \(target): no complete answer within \(timeout) s (\(received.count) bytes so far)")
      }
      readMore()
    }
  }

  /// A blocking TCP connection to 127.0.0.1:`port` whose reads time out after a second (callers loop).
  static func connect(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessError("socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      throw HarnessError("connect to 127.0.0.1:\(port) failed (errno \(errno))")
    }
    var interval = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    return fd
  }

  /// Writes the request (Host, Content-Length and `Connection: close` added); stops early if the server closes.
  static func sendRequest(
    _ fd: Int32, port: Int, _ method: String, _ target: String, headers: [(String, String)], body: [UInt8]?
  ) {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if let body { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    let bytes = Array(head.utf8) + (body ?? [])
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      // The server may answer (413) and close before reading everything: stop sending, read the answer.
      if sent <= 0 { break }
      offset += sent
    }
  }

  /// The answer in `data` if it is complete, else nil.
  static func parse(_ data: [UInt8], closed: Bool) throws -> Answer? {
    guard let headEnd = find([13, 10, 13, 10], in: data, from: 0) else { return nil }
    let headText = String(decoding: data[0..<headEnd], as: UTF8.self)
    var lines = headText.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst()
    let parts = statusLine.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, let status = Int(parts[1]) else {
      throw HarnessError("not an HTTP status line: \(statusLine)")
    }
    let headers = lines.compactMap { line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    var answer = Answer(status: status, headers: headers, body: [])
    let rest = Array(data[(headEnd + 4)...])
    if answer.mediaType == "text/event-stream" {
      answer.body = rest
      return answer
    }
    if let length = answer.header("Content-Length").flatMap({ Int($0) }) {
      guard rest.count >= length else { return nil }
      answer.body = Array(rest.prefix(length))
      return answer
    }
    if answer.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
      guard let body = dechunk(rest) else { return nil }
      answer.body = body
      return answer
    }
    if status == 204 || status == 304 || (100..<200).contains(status) { return answer }
    guard closed else { return nil }
    answer.body = rest
    return answer
  }

  /// The body of a complete chunked message, or nil while the last chunk has not arrived.
  private static func dechunk(_ data: [UInt8]) -> [UInt8]? {
    var body: [UInt8] = []
    var index = 0
    while let lineEnd = find([13, 10], in: data, from: index) {
      let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
      guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
      if size == 0 { return body }
      let start = lineEnd + 2
      guard data.count >= start + size + 2 else { return nil }
      body += data[start..<(start + size)]
      index = start + size + 2
    }
    return nil
  }

  private static func find(_ needle: [UInt8], in data: [UInt8], from start: Int) -> Int? {
    guard data.count >= needle.count, start <= data.count - needle.count else { return nil }
    for index in start...(data.count - needle.count) where data[index] == needle[0] {
      if Array(data[index..<(index + needle.count)]) == needle { return index }
    }
    return nil
  }
}
