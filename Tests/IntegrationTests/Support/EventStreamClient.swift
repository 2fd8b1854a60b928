import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An open `text/event-stream` response read as it arrives: the tests wait (bounded) for a frame to appear.
///
/// Reads block a detached thread for at most a second each; the connection closes when the client is released.
final class EventStreamClient: @unchecked Sendable {
  private let fd: Int32
  private let lock = NSLock()
  private var received: [UInt8] = []

  /// Opens `GET target` with `headers` and waits (bounded) for the response head.
  init(port: Int, _ target: String, headers: [(String, String)]) async throws {
    fd = try RawHTTP.connect(port: port)
    RawHTTP.sendRequest(fd, port: port, "GET", target, headers: headers, body: nil)
    _ = try await text(containing: "\r\n\r\n", within: 30)
  }

  deinit { close(fd) }

  /// The response head, parsed.
  var head: RawHTTP.Answer? {
    let bytes = lock.withLock { received }
    return try? RawHTTP.parse(bytes, closed: false)
  }

  /// Everything received so far, as text: the head, then the body with any chunked framing removed.
  var text: String {
    let bytes = lock.withLock { received }
    guard let headEnd = Self.find([13, 10, 13, 10], in: bytes, from: 0) else {
      return String(decoding: bytes, as: UTF8.self)
    }
    let head = Array(bytes[..<(headEnd + 4)])
    let rest = Array(bytes[(headEnd + 4)...])
    let chunked = String(decoding: head, as: UTF8.self).lowercased().contains("transfer-encoding: chunked")
    return String(decoding: head + (chunked ? Self.dechunk(rest) : rest), as: UTF8.self)
  }

  /// The data of every chunk received so far (the last one possibly in part).
  private static func dechunk(_ data: [UInt8]) -> [UInt8] {
    var body: [UInt8] = []
    var index = 0
    while let lineEnd = find([13, 10], in: data, from: index) {
      let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
      guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
      let start = lineEnd + 2
      let end = min(start + size, data.count)
      body += data[start..<end]
      guard end == start + size, data.count >= end + 2 else { break }
      index = end + 2
    }
    return body
  }

  private static func find(_ needle: [UInt8], in data: [UInt8], from start: Int) -> Int? {
    guard data.count >= needle.count, start <= data.count - needle.count else { return nil }
    for index in start...(data.count - needle.count)
    where Array(data[index..<(index + needle.count)]) == needle {
      return index
    }
    return nil
  }

  /// Waits until the received text contains `needle` (returns all of it) or `seconds` pass (throws).
  func text(containing needle: String, within seconds: Double) async throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
      let current = text
      if current.contains(needle) { return current }
      guard Date() < deadline else {
        throw HarnessError(
          "the stream did not send \(needle.debugDescription) within \(seconds) s; it sent:\n\(current)")
      }
      let open = await readOnce()
      guard open else {
        throw HarnessError("the stream closed before sending \(needle.debugDescription); it sent:\n\(text)")
      }
    }
  }

  /// One read of up to a second on a detached thread; false when the connection closed.
  private func readOnce() async -> Bool {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
          self.lock.withLock { self.received += buffer[0..<count] }
          continuation.resume(returning: true)
        } else {
          continuation.resume(
            returning: count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        }
      }
    }
  }
}
