import Foundation
import Testing

@testable import HTTPServer

@Suite("HTTP/2 against curl, h2load and raw sockets")
struct HTTP2Tests {
  @Test(
    "Given the plain port, when curl speaks h2c with prior knowledge, then the same handlers answer over HTTP/2"
  )
  func h2cPriorKnowledge() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let result = try await curl(["-v", "--http2-prior-knowledge", "\(running.plainBase)/hello"])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out == "hello")
    #expect(result.err.contains("< HTTP/2 200"))
    #expect(result.err.contains("content-length: 5"))
    // curl 7.88 cannot reuse an h2c prior-knowledge connection (it fails the same way against nginx), so
    // nghttp checks several concurrent streams on one connection.
    let streams = try await runTool(
      "/usr/bin/nghttp",
      ["\(running.plainBase)/hello", "\(running.plainBase)/slow", "\(running.plainBase)/hello?again=1"])
    #expect(streams.status == 0, "\(streams.err)")
    #expect(streams.out.count == "hellohelloslow".count)
    #expect(streams.out.contains("slow"))
    #expect(await running.waitForConnections(0))
    await running.stop()
  }

  @Test("Given TLS, when curl offers h2 by ALPN, then h2 is chosen and requests, bodies and errors work")
  func h2OverTLS() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let hello = try await curl(running.trust + ["-v", "--http2", "\(running.tlsBase)/hello"])
    #expect(hello.status == 0, "\(hello.err)")
    #expect(hello.out == "hello")
    #expect(hello.err.contains("ALPN: server accepted h2"))
    #expect(hello.err.contains("< HTTP/2 200"))
    let echo = try await curl(
      running.trust + ["--http2", "--data-binary", "ping", "\(running.tlsBase)/echo"])
    #expect(echo.out == "ping")
    let missing = try await curl(
      running.trust + ["--http2", "-w", "%{http_code}", "\(running.tlsBase)/nope"])
    #expect(missing.out.hasSuffix("404"))
    #expect(missing.out.contains("\"status\":404"))
    let slow = try await curl(running.trust + ["--http2", "\(running.tlsBase)/slow"])
    #expect(slow.out == "slow")
    let alpn = try await running.sClient(["-alpn", "h2,http/1.1"])
    #expect(alpn.out.contains("ALPN protocol: h2"))
    await running.stop()
  }

  @Test("Given h2, when a large body is posted and echoed, then flow control carries it whole both ways")
  func largeBodyOverH2() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("h2-upload-\(UUID()).bin")
    let payload = (0..<900_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
    try Data(payload).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("h2-echo-\(UUID()).bin")
    defer { try? FileManager.default.removeItem(at: out) }
    for arguments in [
      running.trust + ["--http2", "\(running.tlsBase)/echo"],
      ["--http2-prior-knowledge", "\(running.plainBase)/echo"],
    ] {
      let result = try await curl(arguments + ["--data-binary", "@\(file.path)", "-o", out.path])
      #expect(result.status == 0, "\(result.err)")
      #expect(try Data(contentsOf: out) == Data(payload))
    }
    await running.stop()
  }

  @Test("Given h2, when a handler streams Server-Sent Events, then every event arrives and the stream ends")
  func eventsOverH2() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let result = try await curl(running.trust + ["--http2", "-N", "\(running.tlsBase)/events"])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
    let plain = try await curl(["--http2-prior-knowledge", "-N", "\(running.plainBase)/events"])
    #expect(plain.out == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
    await running.stop()
  }

  @Test(
    "Given h2load with many streams, when it sends thousands of requests over TLS and h2c, then all are 2xx")
  func h2loadSmoke() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    for url in ["\(running.tlsBase)/hello", "\(running.plainBase)/hello"] {
      let result = try await runTool(
        "/usr/bin/timeout", ["60", "/usr/bin/h2load", "-c4", "-m20", "-n4000", url])
      #expect(result.status == 0, "\(result.err)")
      #expect(result.out.contains("4000 succeeded, 0 failed, 0 errored"), "\(result.out)")
      #expect(result.out.contains("status codes: 4000 2xx"), "\(result.out)")
    }
    #expect(await running.waitForConnections(0))
    await running.stop()
  }

  @Test("Given a garbage preface on the plain port, then only that connection closes and others are served")
  func garbagePreface() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let client = try RawClient(port: running.plainPort)
    client.send(HTTP2Connection.preface + Array("this is not a SETTINGS frame at all".utf8))
    let (_, closed) = await client.readAll()
    #expect(closed)
    let other = try await curl(["--http2-prior-knowledge", "\(running.plainBase)/hello"])
    #expect(other.out == "hello")
    #expect(await running.waitForConnections(0))
    await running.stop()
  }

  @Test("Given a client that opens streams and never reads, then other clients are served and it is cut off")
  func neverReadingClient() async throws {
    let counter = Counter()
    let running = try await RunningTLSServer(router: testRouter(streamed: counter)) {
      $0.writeTimeout = .seconds(1)
    }
    let client = try RawClient(port: running.plainPort, receiveTimeout: 20)
    client.setSmallReceiveBuffer()
    var frames = HTTP2Connection.preface
    frames += [0, 0, 0, 0x04, 0, 0, 0, 0, 0]  // empty SETTINGS
    for id in stride(from: UInt8(1), through: 19, by: 2) {
      // HEADERS, END_STREAM|END_HEADERS: :method GET, :scheme http, :path /firehose (literal), :authority x.
      let block: [UInt8] = [0x82, 0x86, 0x04, 0x09] + Array("/firehose".utf8) + [0x01, 0x01, 0x78]
      frames += [0, 0, UInt8(block.count), 0x01, 0x05, 0, 0, 0, id] + block
    }
    client.send(frames)
    try await Task.sleep(for: .milliseconds(300))
    let other = try await curl(["--http2-prior-knowledge", "\(running.plainBase)/hello"])
    #expect(other.out == "hello")
    #expect(counter.current < 64 * 1024 * 1024, "producers are held back by flow control and backpressure")
    #expect(
      await running.waitForConnections(0, within: 15),
      "the stalled connection is dropped at the write timeout")
    await running.stop()
  }

  @Test("Given an h2 request whose body stops arriving, then the connection is closed at the body timeout")
  func slowlorisOverH2() async throws {
    let running = try await RunningTLSServer(router: testRouter()) { $0.bodyReadTimeout = .seconds(1) }
    let client = try RawClient(port: running.plainPort, receiveTimeout: 15)
    var frames = HTTP2Connection.preface
    frames += [0, 0, 0, 0x04, 0, 0, 0, 0, 0]
    // POST /echo, END_HEADERS only: the body never comes.
    let block: [UInt8] = [0x83, 0x86, 0x04, 0x05] + Array("/echo".utf8) + [0x01, 0x01, 0x78]
    frames += [0, 0, UInt8(block.count), 0x01, 0x04, 0, 0, 0, 1] + block
    client.send(frames)
    let started = Date()
    let (_, closed) = await client.readAll()
    #expect(closed)
    #expect(Date().timeIntervalSince(started) < 12)
    #expect(await running.waitForConnections(0))
    await running.stop()
  }

  @Test("Given an h2 stream reset by the client, then the other streams on the connection complete")
  func resetLeavesOthers() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let client = try RawClient(port: running.plainPort)
    var frames = HTTP2Connection.preface
    frames += [0, 0, 0, 0x04, 0, 0, 0, 0, 0]
    for id: UInt8 in [1, 3] {
      let block: [UInt8] = [0x82, 0x86, 0x04, 0x05] + Array("/slow".utf8) + [0x01, 0x01, 0x78]
      frames += [0, 0, UInt8(block.count), 0x01, 0x05, 0, 0, 0, id] + block
    }
    frames += [0, 0, 4, 0x03, 0, 0, 0, 0, 1, 0, 0, 0, 0x08]  // RST_STREAM stream 1, CANCEL
    client.send(frames)
    let received = await collectFrames(
      client, until: { $0.contains { $0.type == 0 && $0.stream == 3 && $0.flags & 1 != 0 } })
    #expect(received.contains { $0.type == 1 && $0.stream == 3 }, "stream 3 got its HEADERS")
    #expect(received.contains { $0.type == 0 && $0.stream == 3 && $0.payload == Array("slow".utf8) })
    #expect(!received.contains { $0.stream == 1 && ($0.type == 0 || $0.type == 1) }, "stream 1 got nothing")
    #expect(!received.contains { $0.type == 7 }, "no GOAWAY: the connection lives on")
    await running.stop()
  }

  @Test(
    "Given in-flight h2 streams, when the server shuts down, then GOAWAY is sent and the streams complete")
  func goawayOnShutdown() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let client = try RawClient(port: running.plainPort)
    var frames = HTTP2Connection.preface
    frames += [0, 0, 0, 0x04, 0, 0, 0, 0, 0]
    let block: [UInt8] = [0x82, 0x86, 0x04, 0x05] + Array("/slow".utf8) + [0x01, 0x01, 0x78]
    frames += [0, 0, UInt8(block.count), 0x01, 0x05, 0, 0, 0, 1] + block
    client.send(frames)
    try await Task.sleep(for: .milliseconds(150))
    let stopping = Task { await running.server.shutdown(gracePeriod: .seconds(5)) }
    let received = await collectFrames(client, until: { _ in false })
    await stopping.value
    #expect(received.contains { $0.type == 7 }, "GOAWAY")
    #expect(received.contains { $0.type == 0 && $0.stream == 1 && $0.payload == Array("slow".utf8) })
    running.certificate.remove()
  }
}

/// One HTTP/2 frame as read off the wire.
struct RawFrame {
  var type: UInt8
  var flags: UInt8
  var stream: UInt32
  var payload: [UInt8]
}

/// Reads frames (after the server's SETTINGS) until `done` says so, the peer closes, or the receive timeout.
func collectFrames(_ client: RawClient, until done: @escaping @Sendable ([RawFrame]) -> Bool) async
  -> [RawFrame]
{
  var bytes: [UInt8] = []
  var frames: [RawFrame] = []
  for _ in 0..<200 {
    let chunk = await client.readSome()
    if chunk.isEmpty { break }
    bytes += chunk
    while bytes.count >= 9 {
      let length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
      guard bytes.count >= 9 + length else { break }
      let stream =
        UInt32(bytes[5] & 0x7F) << 24 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 8 | UInt32(bytes[8])
      frames.append(
        RawFrame(type: bytes[3], flags: bytes[4], stream: stream, payload: Array(bytes[9..<9 + length])))
      bytes.removeFirst(9 + length)
    }
    if done(frames) { break }
  }
  return frames
}
