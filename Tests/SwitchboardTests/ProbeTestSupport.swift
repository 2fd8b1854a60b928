import Foundation
import HTTPServer
import Probing
import SampleRegion
import Switchboard

#if canImport(Glibc)
  import Glibc
#endif

/// Real peers on loopback for the prober and engine tests.
enum Loopback {
  /// Starts our HTTP server with the given routes on 127.0.0.1 and a free port; returns it and its base URL.
  static func serve(_ router: Router) throws -> (HTTPServer, String) {
    let server = HTTPServer(
      configuration: ServerConfiguration(listen: [.init(host: "127.0.0.1", port: 0)]), router: router)
    try server.start()
    return (server, "http://127.0.0.1:\(server.boundAddresses[0].port)")
  }

  /// Starts a sample region on a free port; returns it, its server and its base URL.
  static func sampleRegion(_ name: String) throws -> (SampleRegion, HTTPServer, String) {
    let region = SampleRegion(SampleRegionState(region: name))
    let server = try region.start(host: "127.0.0.1", port: 0)
    return (region, server, "http://127.0.0.1:\(server.boundAddresses[0].port)")
  }

  /// A TCP socket bound to 127.0.0.1 on a free port (SO_REUSEADDR), listening with `backlog` when one is given.
  static func boundSocket(listening backlog: Int32? = nil) -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if let backlog { listen(fd, backlog) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }

  /// A port that nothing listens on: bound to find a free one, then closed.
  static func closedPort() -> Int {
    let (fd, port) = boundSocket()
    close(fd)
    return port
  }

  /// A listening socket that never accepts or answers (the kernel completes handshakes into its backlog).
  final class SilentListener {
    let fd: Int32
    let port: Int
    init() { (fd, port) = Loopback.boundSocket(listening: 16) }
    deinit { close(fd) }
  }

  /// Sends one request and returns the status and body; the blocking socket work runs on a Dispatch thread so
  /// it never starves the cooperative pool the servers' async handlers need.
  static func request(_ method: String, _ url: String) async throws -> (status: Int, body: String) {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try blockingRequest(method, url) })
      }
    }
  }

  private static func blockingRequest(_ method: String, _ url: String) throws -> (status: Int, body: String) {
    guard let parsed = ProbeURL(url) else { throw TestFailure("bad URL \(url)") }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr(parsed.host)
    address.sin_port = in_port_t(UInt16(parsed.port).bigEndian)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw TestFailure("cannot connect to \(url)") }
    let text =
      "\(method) \(parsed.target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    _ = text.withCString { send(fd, $0, strlen($0), 0) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count <= 0 { break }
      received += buffer[0..<count]
    }
    let response = String(decoding: received, as: UTF8.self)
    guard let headEnd = response.range(of: "\r\n\r\n"),
      let status = Int(response.split(separator: " ").dropFirst().first ?? "")
    else { throw TestFailure("no HTTP response from \(url): \(response)") }
    return (status, String(response[headEnd.upperBound...]))
  }
}

/// A test precondition that failed, with a sentence.
struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Polls a condition until it holds or the time runs out (every wait in these tests is bounded).
func eventually(
  timeout: Double = 20, interval: Double = 0.05, _ condition: @Sendable () async -> Bool
) async -> Bool {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if await condition() { return true }
    try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
  }
  return await condition()
}
