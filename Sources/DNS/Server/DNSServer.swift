import CEPoll
import Dispatch
import Foundation
import Glibc
import Logging
import Sockets
import Synchronization

/// The built-in authoritative DNS server: UDP and TCP on each listen address, answered by a `QueryResponder`.
/// Worker threads wait on epoll for UDP datagrams and TCP connections; each TCP connection is served on its own
/// dispatch work item with a read timeout, a cap on queries, and a cap on connections at once.
public final class DNSServer: Sendable {
  /// How many threads read UDP and accept TCP.
  public static let workerCount = 2
  /// TCP connections served at once; more wait in the backlog.
  static let maximumTCPConnections = 64
  /// Queries answered on one TCP connection before it is closed.
  static let maximumQueriesPerConnection = 100
  /// Seconds a TCP connection may stay silent.
  static let tcpIdleSeconds = 5

  private let addresses: [DNSListenAddress]
  private let responder: QueryResponder
  private let limiter: SourceRateLimiter
  private let logger: Logger
  private let state = Mutex(State())
  private let stopping = Atomic<Bool>(false)
  private let tcpConnections = Atomic<Int>(0)

  private struct State {
    var sockets: [DNSSockets] = []
    var running = 0
  }

  /// A server for `addresses` (nothing listens until `start`).
  public init(
    listen addresses: [DNSListenAddress], responder: QueryResponder, rateLimit: SourceRateLimiter,
    logger: Logger = Logger(label: "switchboard.dns")
  ) {
    self.addresses = addresses
    self.responder = responder
    limiter = rateLimit
    self.logger = logger
  }

  /// The addresses bound (with the real ports when 0 was asked for); empty before `start`.
  public var boundAddresses: [DNSListenAddress] { state.withLock { $0.sockets.map(\.bound) } }

  /// Binds every address and starts the workers.
  public func start() throws(DNSServerError) {
    var sockets: [DNSSockets] = []
    for address in addresses {
      do {
        sockets.append(try DNSSockets(address))
      } catch {
        for opened in sockets { opened.close() }
        throw error
      }
    }
    stopping.store(false, ordering: .sequentiallyConsistent)
    let fds = sockets.flatMap { [$0.udp, $0.tcp] }
    let tcp = Set(sockets.map(\.tcp))
    let threads = (0..<Self.workerCount).map { index in
      let thread = Thread { [self] in self.work(fds: fds, tcp: tcp) }
      thread.name = "dns-\(index)"
      return thread
    }
    state.withLock {
      $0.sockets = sockets
      $0.running = threads.count
    }
    for thread in threads { thread.start() }
    logger.info("DNS listening on \(sockets.map(\.bound.description).joined(separator: ", ")) (UDP and TCP)")
  }

  /// Stops the workers (within their poll interval) and closes the sockets.
  public func stop() {
    stopping.store(true, ordering: .sequentiallyConsistent)
    for _ in 0..<100 {
      if state.withLock({ $0.running }) == 0 { break }
      usleep(10_000)
    }
    let sockets = state.withLock { state in
      defer { state.sockets = [] }
      return state.sockets
    }
    for socket in sockets { socket.close() }
  }

  // MARK: Workers

  private func work(fds: [Int32], tcp: Set<Int32>) {
    defer { state.withLock { $0.running -= 1 } }
    let poll = cepoll_create()
    guard poll >= 0 else { return }
    defer { Glibc.close(poll) }
    for fd in fds { _ = cepoll_set(poll, fd, cepoll_in, 1) }
    var buffer = [UInt8](repeating: 0, count: 65535)
    var readyFDs = [Int32](repeating: 0, count: 16)
    var readyEvents = [UInt32](repeating: 0, count: 16)
    while !stopping.load(ordering: .relaxed) {
      let count = cepoll_wait(poll, &readyFDs, &readyEvents, 16, 100)
      guard count > 0 else { continue }
      for index in 0..<Int(count) {
        let fd = readyFDs[index]
        if tcp.contains(fd) { accept(fd) } else { serveDatagrams(fd, &buffer) }
      }
    }
  }

  /// Answers the datagrams waiting on `fd` (at most 64 before polling again).
  private func serveDatagrams(_ fd: Int32, _ buffer: inout [UInt8]) {
    for _ in 0..<64 {
      var source = sockaddr_storage()
      var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let received = buffer.withUnsafeMutableBytes { raw in
        withUnsafeMutablePointer(to: &source) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            recvfrom(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, &length)
          }
        }
      }
      guard received > 0 else { return }
      guard limiter.allows(Self.hostBytes(source), now: Int64(time(nil))) else { continue }
      guard let response = responder.respond(to: Array(buffer[0..<received]), overTCP: false) else {
        continue
      }
      _ = response.withUnsafeBytes { raw in
        withUnsafePointer(to: &source) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            sendto(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, length)
          }
        }
      }
    }
  }

  private func accept(_ listener: Int32) {
    let fd = Glibc.accept(listener, nil, nil)
    guard fd >= 0 else { return }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    guard tcpConnections.wrappingAdd(1, ordering: .relaxed).newValue <= Self.maximumTCPConnections else {
      tcpConnections.wrappingSubtract(1, ordering: .relaxed)
      Glibc.close(fd)
      return
    }
    var timeout = timeval(tv_sec: Self.tcpIdleSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    DispatchQueue.global().async { [self] in
      defer {
        Glibc.close(fd)
        tcpConnections.wrappingSubtract(1, ordering: .relaxed)
      }
      serveConnection(fd)
    }
  }

  /// Reads length-prefixed queries and writes length-prefixed answers until the client closes or goes quiet.
  private func serveConnection(_ fd: Int32) {
    for _ in 0..<Self.maximumQueriesPerConnection {
      guard !stopping.load(ordering: .relaxed), let prefix = Self.read(fd, count: 2) else { return }
      let length = Int(prefix[0]) << 8 | Int(prefix[1])
      guard length > 0, let query = Self.read(fd, count: length) else { return }
      guard let response = responder.respond(to: query, overTCP: true) else { return }
      let framed = [UInt8(response.count >> 8), UInt8(response.count & 0xFF)] + response
      guard Self.write(fd, framed) else { return }
    }
  }

  static func read(_ fd: Int32, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let got = bytes.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress! + filled, count - filled, 0) }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { return nil }
      filled += got
    }
    return bytes
  }

  static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
      let wrote = bytes.withUnsafeBytes {
        send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
      }
      if wrote < 0 && errno == EINTR { continue }
      guard wrote > 0 else { return false }
      sent += wrote
    }
    return true
  }

  /// The address bytes of a source (without the port), the rate limiter's key.
  static func hostBytes(_ storage: sockaddr_storage) -> [UInt8] {
    withUnsafeBytes(of: storage) { raw in
      switch Int32(storage.ss_family) {
      case AF_INET: Array(raw[4..<8])
      case AF_INET6: Array(raw[8..<24])
      default: []
      }
    }
  }
}
