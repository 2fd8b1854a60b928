import Foundation
import Testing

@testable import HTTPServer

@Suite("TLS against curl and openssl")
struct TLSTests {
  @Test("Given a plain and a TLS listener, when curl asks both over HTTP/1.1, then both answer")
  func plainAndTLSAtOnce() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let secure = try await curl(running.trust + ["-v", "--http1.1", "\(running.tlsBase)/hello"])
    #expect(secure.status == 0, "\(secure.err)")
    #expect(secure.out == "hello")
    #expect(secure.err.contains("ALPN: server accepted http/1.1"))
    #expect(secure.err.contains("TLSv1.3"))
    let plain = try await curl(["\(running.plainBase)/hello"])
    #expect(plain.out == "hello")
    #expect(await running.waitForConnections(0), "curl has gone; so must its connections")
    await running.stop()
  }

  @Test("Given TLS, when curl keeps one connection for two requests, then it is reused")
  func keepAliveOverTLS() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let result = try await curl(
      running.trust + ["-v", "--http1.1", "\(running.tlsBase)/hello", "\(running.tlsBase)/hello"])
    #expect(result.out == "hellohello")
    #expect(result.err.contains("Re-using existing connection"))
    await running.stop()
  }

  @Test("Given TLS, when a 300 KB body is posted and echoed, then it arrives whole both ways")
  func largeBodyOverTLS() async throws {
    let running = try await RunningTLSServer(router: testRouter()) { $0.limits.maxBodyBytes = 1 << 20 }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tls-upload-\(UUID()).bin")
    let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try Data(payload).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("tls-echo-\(UUID()).bin")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try await curl(
      running.trust + [
        "--http1.1", "--data-binary", "@\(file.path)", "-o", out.path, "\(running.tlsBase)/echo",
      ])
    #expect(result.status == 0, "\(result.err)")
    #expect(try Data(contentsOf: out) == Data(payload))
    await running.stop()
  }

  @Test("Given TLS, when a handler streams Server-Sent Events, then curl gets every event")
  func eventsOverTLS() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let result = try await curl(running.trust + ["--http1.1", "-N", "\(running.tlsBase)/events"])
    #expect(result.out == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
    await running.stop()
  }

  @Test("Given TLS 1.2 and 1.3 only, when a client insists on TLS 1.1, then the handshake is refused")
  func tls11Refused() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let old = try await running.sClient(["-tls1_1"])
    #expect(old.status != 0)
    #expect(old.out.contains("no peer certificate available"))
    let modern = try await running.sClient(["-tls1_2"])
    #expect(modern.status == 0, "\(modern.err)")
    #expect(modern.out.contains("Verify return code: 0 (ok)"))
    #expect(modern.out.contains("TLSv1.2"))
    await running.stop()
  }

  @Test("Given a client that asks for h2 or http/1.1 by ALPN, then the server's choice is reported")
  func alpnResult() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let result = try await running.sClient(["-alpn", "http/1.1"])
    #expect(result.out.contains("ALPN protocol: http/1.1"))
    await running.stop()
  }

  @Test(
    "Given the TLS port, when a client speaks plain HTTP to it, then it gets a 400 and the connection closes")
  func plainHTTPOnTLSPort() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let client = try RawClient(port: running.tlsPort)
    client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
    let (text, closed) = await client.readAll()
    #expect(text.hasPrefix("HTTP/1.1 400 Bad Request"))
    #expect(text.contains("https://"))
    #expect(closed)
    let after = try await curl(running.trust + ["\(running.tlsBase)/hello"])
    #expect(after.out == "hello")
    await running.stop()
  }

  @Test(
    "Given a client that stops halfway through the handshake, then others are served and it is cut at the timeout"
  )
  func halfDoneHandshake() async throws {
    let running = try await RunningTLSServer(router: testRouter()) { $0.tls?.handshakeTimeout = .seconds(1) }
    let stalled = try RawClient(port: running.tlsPort, receiveTimeout: 15)
    // The first bytes of a ClientHello record header, then silence.
    stalled.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
    let other = try await curl(running.trust + ["\(running.tlsBase)/hello"])
    #expect(other.out == "hello")
    let started = Date()
    let (_, closed) = await stalled.readAll()
    #expect(closed)
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(await running.waitForConnections(0))
    await running.stop()
  }

  @Test(
    "Given a request in flight over TLS, when the certificate is reloaded, then it completes and new handshakes see the new certificate"
  )
  func reloadKeepsConnections() async throws {
    let running = try await RunningTLSServer(router: testRouter())
    let oldTrust = running.certificate.directory.appendingPathComponent("old-cert.pem").path
    try FileManager.default.copyItem(atPath: running.certificate.certificatePath, toPath: oldTrust)
    let slow = Task { try await curl(["--cacert", oldTrust, "--http1.1", "\(running.tlsBase)/slow"]) }
    #expect(await running.waitForConnections(1))
    try await Task.sleep(for: .milliseconds(100))
    try await running.certificate.issue(commonName: "switchboard-renewed")
    try running.server.reloadTLSCertificates()
    let inFlight = try await slow.value
    #expect(inFlight.status == 0, "\(inFlight.err)")
    #expect(inFlight.out == "slow")
    let fresh = try await running.sClient(["-tls1_3"])
    #expect(fresh.out.contains("CN = switchboard-renewed"))
    await running.stop()
  }

  @Test("Given a certificate path that does not exist, when the server starts, then the error names the file")
  func missingCertificate() throws {
    var configuration = ServerConfiguration(listen: [])
    configuration.tls = TLSConfiguration(
      listen: [ListenAddress(host: "127.0.0.1", port: 0)], certificatePath: "/nonexistent/cert.pem",
      keyPath: "/nonexistent/key.pem")
    let server = HTTPServer(configuration: configuration, router: Router())
    #expect {
      try server.start()
    } throws: { error in
      "\(error)".contains("/nonexistent/cert.pem")
    }
  }
}
