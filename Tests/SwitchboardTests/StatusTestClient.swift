import Foundation
import TestPeers

#if canImport(Glibc)
  import Glibc
#endif

/// Blocking HTTP clients for the status and event-stream tests, run on threads of their own (never the
/// cooperative pool or Dispatch's global queue, which the server under test uses).
enum StatusTestClient {
  /// One answer: status, headers (names lowercased), body.
  typealias Answer = Curl.Answer

  /// Runs `work` on a new thread.
  static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { continuation.resume(returning: work()) }
    }
  }

  /// A request through curl (bounded by `-m 20`).
  static func request(_ method: String, _ url: String, headers: [String: String] = [:]) async throws -> Answer
  {
    try await Curl.request(method, url, headers: headers)
  }
}

/// A Server-Sent Events reader on a raw socket: an HTTP/1.0 GET (so the body arrives unchunked) and reads
/// until some text arrives, the server closes, or a deadline passes.
final class SSETestClient: @unchecked Sendable {
  private let fd: Int32
  private let lock = NSLock()
  private var received: [UInt8] = []
  private var closed = false
  private let keepTail: Int?

  /// Connects and sends the request; `keepTail` keeps only that many of the last bytes received (long runs).
  init(
    port: Int, path: String, headers: [String: String] = [:], receiveBuffer: Int32? = nil,
    keepTail: Int? = nil
  ) throws {
    self.keepTail = keepTail
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    if var size = receiveBuffer {
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var request = "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    request += "\r\n"
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  deinit { close(fd) }

  /// Everything received so far.
  var text: String { lock.withLock { String(decoding: received, as: UTF8.self) } }

  /// Whether the server closed the connection.
  var isClosed: Bool { lock.withLock { closed } }

  /// Reads until `condition(text)` holds, the server closes, or `seconds` pass; returns whether it held.
  func read(for seconds: Double, until condition: @escaping @Sendable (String) -> Bool) async -> Bool {
    await StatusTestClient.offload { self.readBlocking(seconds, condition) }
  }

  private func readBlocking(_ seconds: Double, _ condition: (String) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while Date() < deadline {
      if condition(text) { return true }
      if isClosed { return false }
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n > 0 {
        lock.withLock {
          received += buffer[0..<n]
          if let keepTail, received.count > keepTail { received.removeFirst(received.count - keepTail) }
        }
      } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        lock.withLock { closed = true }
      }
    }
    return condition(text)
  }

  /// The body's SSE events (blocks separated by blank lines), each as its field lines.
  var events: [[String]] {
    let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    return body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map {
      $0.components(separatedBy: "\n")
    }
  }

  /// The ids of the events that carry data, in order.
  var eventIDs: [Int64] {
    events.filter { $0.contains { $0.hasPrefix("data: ") } }.compactMap { lines in
      lines.first { $0.hasPrefix("id: ") }.flatMap { Int64($0.dropFirst(4)) }
    }
  }
}
