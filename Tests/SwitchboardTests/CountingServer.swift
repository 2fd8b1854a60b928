import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

extension Loopback {
  /// A raw HTTP/1.1 server on loopback that counts the connections it accepts and the requests it reads, and
  /// answers each request by its `behaviour`: the peer for the prober's keep-alive tests.
  final class CountingServer: @unchecked Sendable {
    /// How a connection answers its `n`th request (0-based) on the `c`th connection (0-based).
    enum Answer: Sendable {
      /// `200 OK` with a content length; the connection stays open.
      case ok
      /// `200 OK` with `Connection: close`, then closes.
      case okThenClose
      /// Closes without answering (a server whose idle timeout struck as the request arrived).
      case close
    }

    let fd: Int32
    let port: Int
    private let accepted = Atomic<Int>(0)
    private let closed = Atomic<Int>(0)
    private let requestTexts = Mutex<[String]>([])
    private let behaviour: @Sendable (_ connection: Int, _ request: Int) -> Answer

    /// Connections accepted so far.
    var connections: Int { accepted.load(ordering: .acquiring) }
    /// Connections open now (accepted and not yet closed by either side).
    var open: Int { connections - closed.load(ordering: .acquiring) }
    /// Every request read so far, as text.
    var requests: [String] { requestTexts.withLock { $0 } }
    /// The probe URL of its /health.
    var url: String { "http://127.0.0.1:\(port)/health" }

    init(_ behaviour: @escaping @Sendable (_ connection: Int, _ request: Int) -> Answer = { _, _ in .ok }) {
      self.behaviour = behaviour
      (fd, port) = Loopback.boundSocket(listening: 64)
      let thread = Thread { [self] in acceptLoop() }
      thread.start()
    }

    /// Stops accepting (the accept loop ends; open connections end when the prober closes them).
    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }

    deinit { close(fd) }

    private func acceptLoop() {
      for _ in 0..<10_000 {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return }
        let index = accepted.add(1, ordering: .acquiringAndReleasing).oldValue
        let thread = Thread { [self] in serve(client, connection: index) }
        thread.start()
      }
    }

    private func serve(_ client: Int32, connection: Int) {
      defer {
        close(client)
        closed.add(1, ordering: .acquiringAndReleasing)
      }
      var timeout = timeval(tv_sec: 20, tv_usec: 0)
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var pending: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 4096)
      for request in 0..<10_000 {
        // Read one request head (probes send no body).
        var end: Range<Int>?
        while end == nil {
          end = pending.firstRange(of: [13, 10, 13, 10])
          if end != nil { break }
          let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
          if count <= 0 { return }
          pending += buffer[0..<count]
        }
        guard let end else { return }
        let text = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
        pending.removeSubrange(..<end.upperBound)
        requestTexts.withLock { $0.append(text) }
        let reply: String
        switch behaviour(connection, request) {
        case .ok: reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\nhealthy"
        case .okThenClose:
          reply = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 7\r\n\r\nhealthy"
        case .close: return
        }
        _ = reply.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        if case .okThenClose = behaviour(connection, request) { return }
      }
    }
  }
}
