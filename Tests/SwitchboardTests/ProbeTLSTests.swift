import FailoverCore
import Foundation
import HTTPServer
import Probing
import Switchboard
import Testing

/// A TLS target: our HTTP server with a self-signed certificate made by the real `openssl`.
enum TLSTarget {
  /// Starts a server answering `/health` over HTTPS (and plain HTTP); returns it, the https base URL, the plain
  /// base URL and the folder holding the certificate.
  static func start() throws -> (HTTPServer, https: String, plain: String, folder: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("probe-tls-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let cert = folder.appendingPathComponent("cert.pem").path
    let key = folder.appendingPathComponent("key.pem").path
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    openssl.arguments = [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
      "-subj", "/CN=probe-target", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key,
      "-out", cert,
    ]
    openssl.standardOutput = FileHandle.nullDevice
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    openssl.waitUntilExit()
    guard openssl.terminationStatus == 0 else { throw TLSError("openssl req failed") }

    var router = Router()
    router.get("/health") { request in
      .json(Array(#"{"status":"healthy","scheme":"\#(request.scheme)"}"#.utf8))
    }
    var configuration = ServerConfiguration(listen: [.init(host: "127.0.0.1", port: 0)])
    configuration.tls = TLSConfiguration(
      listen: [.init(host: "127.0.0.1", port: 0)], certificatePath: cert, keyPath: key)
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    return (
      server, "https://127.0.0.1:\(server.boundTLSAddresses[0].port)",
      "http://127.0.0.1:\(server.boundAddresses[0].port)", folder
    )
  }
}

@Suite("HTTPS probes")
struct ProbeTLSTests {
  static let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")

  @Test(
    "Given an HTTPS endpoint with a self-signed certificate, the probe is healthy (no validation, as Route53)"
  )
  func healthyOverTLS() async throws {
    let (server, https, _, folder) = try TLSTarget.start()
    defer {
      Task { await server.shutdown() }
      try? FileManager.default.removeItem(at: folder)
    }
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(https)/health", responseTimeout: 10), key: Self.key)
    #expect(observation.status == .healthy, "\(observation.reason)")
    #expect(observation.reason.contains("answered HTTP 200"))
    let viaName = await HTTPProber().probe(
      HTTPProbeSpec(
        url: "\(https.replacingOccurrences(of: "127.0.0.1", with: "localhost"))/health", responseTimeout: 10),
      key: Self.key)
    #expect(viaName.status == .healthy, "\(viaName.reason)")
  }

  @Test("Given an https:// URL on a plain-HTTP port, the probe fails with the handshake as the reason")
  func plainPort() async throws {
    let (server, _, plain, folder) = try TLSTarget.start()
    defer {
      Task { await server.shutdown() }
      try? FileManager.default.removeItem(at: folder)
    }
    let url = plain.replacingOccurrences(of: "http://", with: "https://") + "/health"
    let observation = await HTTPProber().probe(HTTPProbeSpec(url: url, responseTimeout: 5), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("TLS handshake failed"), "\(observation.reason)")
  }

  @Test("Given an https:// URL where nothing listens, the probe says connection refused")
  func refused() async throws {
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "https://127.0.0.1:\(Loopback.closedPort())/health"), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("connection refused"))
  }
}
