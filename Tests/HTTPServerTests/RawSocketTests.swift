import Foundation
import Testing

@testable import HTTPServer

@Suite("Server against raw sockets")
struct RawSocketTests {
  @Test("Pipelined requests are answered in order, async handlers included")
  func pipelining() async throws {
    let running = try RunningServer(router: testRouter())
    let client = try RawClient(port: running.port)
    client.send(
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    let responses = await client.readResponses(4)
    #expect(responses.count == 4)
    #expect(responses.count == 4 && responses[0].hasSuffix("\r\n\r\nhello"))
    #expect(responses.count == 4 && responses[1].hasSuffix("\r\n\r\nslow"))
    #expect(responses.count == 4 && responses[2].hasSuffix("\r\n\r\nabc"))
    #expect(responses.count == 4 && responses[3].hasSuffix("\r\n\r\nhello"))
    await running.stop()
  }

  @Test("Slowloris: a head dribbled byte by byte is cut off at the header timeout with 408")
  func slowloris() async throws {
    let running = try RunningServer(router: testRouter()) { $0.headerReadTimeout = .milliseconds(600) }
    let client = try RawClient(port: running.port, receiveTimeout: 0.1)
    // The dribble runs on a thread of its own and times itself there, so a busy test runner's scheduling does
    // not count against the server: a header byte every 100 ms (bounded at 40 bytes = 4 s), until it answers.
    let (answer, elapsed) = await offload {
      client.send("GET /hello HTTP/1.1\r\n")
      let started = Date()
      for byte in "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
        client.send([byte])
        let got = client.readSomeNow()
        if !got.isEmpty { return (String(decoding: got, as: UTF8.self), Date().timeIntervalSince(started)) }
      }
      return ("", Date().timeIntervalSince(started))
    }
    #expect(answer.hasPrefix("HTTP/1.1 408"))
    #expect(elapsed < 2.5)
    #expect(await running.waitForConnections(0))
    await running.stop()
  }

  @Test("An idle keep-alive connection is closed after the idle timeout")
  func idleTimeout() async throws {
    let running = try RunningServer(router: testRouter()) { $0.idleTimeout = .milliseconds(400) }
    let client = try RawClient(port: running.port, receiveTimeout: 4)
    client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(await client.readResponses(1).count == 1)
    // Timed on the reading thread itself, so the test runner's scheduling does not count.
    let (closed, elapsed) = await offload {
      let started = Date()
      let closed = client.readAllNow().closed
      return (closed, Date().timeIntervalSince(started))
    }
    #expect(closed)
    #expect(elapsed < 3)
    await running.stop()
  }

  @Test("A client that disconnects mid-body leaves the server healthy")
  func disconnectMidBody() async throws {
    let running = try RunningServer(router: testRouter())
    for _ in 0..<20 {
      let client = try RawClient(port: running.port)
      client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789")
    }
    #expect(await running.waitForConnections(0))
    let result = try await curl(["\(running.base)/hello"])
    #expect(result.out == "hello")
    await running.stop()
  }

  @Test("A client that disconnects mid-response stops the producer; nothing leaks")
  func disconnectMidResponse() async throws {
    let counter = Counter()
    let running = try RunningServer(router: testRouter(streamed: counter))
    do {
      let client = try RawClient(port: running.port)
      client.setSmallReceiveBuffer()
      client.send("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n")
      _ = await client.readSome(1000)
    }
    #expect(await running.waitForConnections(0))
    let deadline = Date().addingTimeInterval(5)
    while counter.failed == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    #expect(counter.failed == 1)
    await running.stop()
  }

  @Test("Backpressure: a producer waits while the client does not read, and resumes when it does")
  func backpressure() async throws {
    let counter = Counter()
    let running = try RunningServer(router: testRouter(streamed: counter))
    let client = try RawClient(port: running.port)
    client.setSmallReceiveBuffer(256 * 1024)
    client.send("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n")
    // Wait (bounded, 10 s) until the producer has made no progress for 500 ms.
    var last = -1
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      try await Task.sleep(for: .milliseconds(500))
      if counter.current == last, last > 0 { break }
      last = counter.current
    }
    let stalled = counter.current
    // Socket buffers plus the 64 KiB high-water mark: a few MiB at most of the 256 MiB the producer wants to send.
    #expect(stalled > 0)
    #expect(stalled < 16 * 1024 * 1024)
    // Read (bounded: 10 s) until the producer moves again.
    var received = 0
    let resumeDeadline = Date().addingTimeInterval(10)
    while counter.current == stalled, Date() < resumeDeadline { received += await client.readSome().count }
    #expect(received > 0)
    #expect(counter.current > stalled)
    await running.stop()
  }

  @Test("Smuggling shapes, oversize heads and bodies get their status on the wire, then a close")
  func rejectionsOnTheWire() async throws {
    let running = try RunningServer(router: testRouter()) { $0.limits.maxBodyBytes = 1000 }
    let cases: [(String, String)] = [
      (
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "400"
      ),
      (
        "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 20000) + "\r\n\r\n", "431"
      ),
      ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", "413"),
      ("\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}\u{0}\u{0}\u{a1}\u{3}\u{3}\r\n\r\n", "400"),
      ("GET /hello HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", "400"),
    ]
    for (request, status) in cases {
      let client = try RawClient(port: running.port)
      client.send(request)
      let (text, closed) = await client.readAll()
      #expect(
        text.hasPrefix("HTTP/1.1 \(status)"), "\(request.prefix(40).debugDescription) → \(text.prefix(40))")
      #expect(text.contains("application/problem+json"))
      #expect(closed)
    }
    #expect(try await curl(["\(running.base)/hello"]).out == "hello")
    await running.stop()
  }

  @Test("Beyond the connection limit a client gets 503 and a close")
  func connectionLimit() async throws {
    let running = try RunningServer(router: testRouter()) { $0.maxConnections = 2 }
    let first = try RawClient(port: running.port)
    let second = try RawClient(port: running.port)
    #expect(await running.waitForConnections(2))
    let third = try RawClient(port: running.port)
    let (text, closed) = await third.readAll()
    #expect(text.hasPrefix("HTTP/1.1 503"))
    #expect(closed)
    first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(await first.readResponses(1).first?.hasSuffix("hello") == true)
    _ = second
    await running.stop()
  }

  @Test("Graceful shutdown: in-flight requests finish, idle connections close, new ones are refused")
  func gracefulShutdown() async throws {
    let running = try RunningServer(router: testRouter())
    let idle = try RawClient(port: running.port)
    let busy = try RawClient(port: running.port)
    #expect(await running.waitForConnections(2))
    busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    try await Task.sleep(for: .milliseconds(100))
    let stopping = Task { await running.server.shutdown(gracePeriod: .seconds(5)) }
    let (idleText, idleClosed) = await idle.readAll()
    #expect(idleText.isEmpty)
    #expect(idleClosed)
    let (busyText, busyClosed) = await busy.readAll()
    #expect(busyText.hasPrefix("HTTP/1.1 200"))
    #expect(busyText.contains("Connection: close"))
    #expect(busyText.hasSuffix("slow"))
    #expect(busyClosed)
    await stopping.value
    #expect(throws: (any Error).self) { try RawClient(port: running.port) }
  }

  @Test("The hard deadline closes what is still open")
  func hardDeadline() async throws {
    let running = try RunningServer(router: testRouter())
    let client = try RawClient(port: running.port)
    client.send("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n")
    client.setSmallReceiveBuffer()
    try await Task.sleep(for: .milliseconds(200))
    let started = Date()
    await running.server.shutdown(gracePeriod: .milliseconds(300))
    #expect(Date().timeIntervalSince(started) < 3)
    #expect(running.server.connectionCount == 0)
  }
}
