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

  /// Everything received so far, as text.
  var text: String { String(decoding: lock.withLock { received }, as: UTF8.self) }

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
