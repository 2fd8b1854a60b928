import Foundation
import Testing

@testable import HTTPServer

/// A real server on a free loopback port.
struct RunningServer {
  let server: HTTPServer
  var port: Int { server.boundAddresses[0].port }
  var base: String { "http://127.0.0.1:\(port)" }

  init(router: Router, _ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
    var configuration = ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
    configure(&configuration)
    server = HTTPServer(configuration: configuration, router: router)
    try server.start()
  }

  func stop() async { await server.shutdown(gracePeriod: .seconds(2)) }

  /// Waits (bounded) until the open connection count reaches a value.
  func waitForConnections(_ count: Int, within seconds: Double = 5) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if server.connectionCount == count { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return server.connectionCount == count
  }
}

/// A blocking TCP client on raw sockets with a receive timeout, for shapes curl will not send.
final class RawClient: @unchecked Sendable {
  let fd: Int32

  init(port: Int, receiveTimeout: Double = 5) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
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
    var timeout = timeval(
      tv_sec: Int(receiveTimeout), tv_usec: Int(receiveTimeout.truncatingRemainder(dividingBy: 1) * 1_000_000)
    )
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(fd) }

  func send(_ text: String) { send(Array(text.utf8)) }

  func send(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      if n <= 0 { return }
      offset += n
    }
  }

  /// Shrinks the receive buffer so the server's writes block quickly (backpressure tests).
  func setSmallReceiveBuffer(_ bytes: Int32 = 4096) {
    var size = bytes
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
  }

  /// Reads until the peer closes or the receive timeout passes; returns what arrived and whether it closed.
  func readAll() async -> (text: String, closed: Bool) { await offload { self.readAllBlocking() } }

  /// Reads until `count` complete responses (Content-Length framed) arrived, or timeout/close.
  func readResponses(_ count: Int) async -> [String] { await offload { self.readResponsesBlocking(count) } }

  /// Reads at most `count` bytes, waiting up to the receive timeout.
  func readSome(_ count: Int = 65536) async -> [UInt8] { await offload { self.readSomeBlocking(count) } }

  private func readAllBlocking() -> (text: String, closed: Bool) {
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n > 0 {
        data += buffer[0..<n]
      } else {
        let timedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        return (String(decoding: data, as: UTF8.self), !timedOut)
      }
    }
  }

  private func readResponsesBlocking(_ count: Int) -> [String] {
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let responses = Self.split(data)
      if responses.count >= count { return responses }
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { return responses }
      data += buffer[0..<n]
    }
  }

  /// `readAll`, blocking the calling thread (use from `offload`).
  func readAllNow() -> (text: String, closed: Bool) { readAllBlocking() }

  /// Reads at most 64 KiB, blocking the calling thread up to the receive timeout (use from `offload`).
  func readSomeNow() -> [UInt8] { readSomeBlocking(65536) }

  private func readSomeBlocking(_ count: Int) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: count)
    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    return n > 0 ? Array(buffer[0..<n]) : []
  }

  /// Splits a byte stream into complete Content-Length-framed responses (interim 1xx responses included).
  static func split(_ data: [UInt8]) -> [String] {
    var responses: [String] = []
    var rest = Substring(String(decoding: data, as: UTF8.self))
    while let headEnd = rest.range(of: "\r\n\r\n") {
      let head = rest[..<headEnd.lowerBound]
      var length = 0
      for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
        length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
      }
      let bodyStart = headEnd.upperBound
      guard rest.utf8.distance(from: bodyStart, to: rest.endIndex) >= length else { break }
      let end = rest.utf8.index(bodyStart, offsetBy: length)
      responses.append(String(rest[..<end]))
      rest = rest[end...]
    }
    return responses
  }
}

/// Runs blocking work on a thread of its own: it must occupy neither the cooperative pool (the server's async
/// handlers and stream producers) nor Dispatch's global queue (the server's workers); both have one thread per
/// core here.
func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    Thread.detachNewThread { continuation.resume(returning: work()) }
  }
}

/// Runs curl (bounded by -m) and returns its exit status, stdout and stderr.
func curl(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
  try await offload { Result { try curlBlocking(arguments) } }.get()
}

private func curlBlocking(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
  process.arguments = ["-sS", "-m", "20"] + arguments
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let errHandle = err.fileHandleForReading
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = errHandle.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outData, as: UTF8.self),
    String(decoding: errData, as: UTF8.self)
  )
}

/// Counts what streaming producers managed to write, across tasks.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  private var failures = 0
  func add(_ n: Int) { lock.withLock { value += n } }
  func fail() { lock.withLock { failures += 1 } }
  var current: Int { lock.withLock { value } }
  var failed: Int { lock.withLock { failures } }
}

/// A router with the endpoints the integration tests use.
func testRouter(streamed: Counter = Counter()) -> Router {
  var router = Router()
  router.get("/hello") { _ in .text("hello") }
  router.post("/echo") { request in
    Response(status: .ok, contentType: "application/octet-stream", bytes: request.body)
  }
  router.get(
    "/slow",
    async: { _ in
      try await Task.sleep(for: .milliseconds(500))
      return .text("slow")
    })
  router.get("/fail") { _ in throw ProblemDetails(status: .conflict, detail: "A conflict, on purpose.") }
  router.get("/crash") { _ in
    struct Boom: Error {}
    throw Boom()
  }
  router.get("/events") { _ in
    Response(
      status: .ok, headers: ["Content-Type": "text/event-stream"],
      body: .stream { writer in
        for i in 0..<3 {
          try await writer.write("data: \(i)\n\n")
          streamed.add(1)
        }
      })
  }
  // Writes 64 KiB pieces until the client goes away (bounded at 4,096 pieces = 256 MiB).
  router.get("/firehose") { _ in
    Response(
      status: .ok, headers: ["Content-Type": "application/octet-stream"],
      body: .stream { writer in
        let piece = [UInt8](repeating: 0x61, count: 65536)
        do {
          for _ in 0..<4096 {
            try await writer.write(piece)
            streamed.add(piece.count)
          }
        } catch {
          streamed.fail()
          throw error
        }
      })
  }
  return router
}
