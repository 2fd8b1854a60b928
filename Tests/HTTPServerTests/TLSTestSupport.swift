import Foundation
import Testing

@testable import HTTPServer

/// A self-signed certificate for 127.0.0.1 and localhost, made by the real `openssl` in a temporary directory.
struct TestCertificate {
  let directory: URL
  var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
  var keyPath: String { directory.appendingPathComponent("key.pem").path }

  static func make(commonName: String = "switchboard-test") async throws -> TestCertificate {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let certificate = TestCertificate(directory: directory)
    try await certificate.issue(commonName: commonName)
    return certificate
  }

  /// Writes a fresh key and certificate over the current files.
  func issue(commonName: String) async throws {
    let result = try await runTool(
      "/usr/bin/openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
        "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", keyPath, "-out", certificatePath,
      ])
    guard result.status == 0 else { throw TLSError("openssl req failed: \(result.err)") }
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A real server with a plain and a TLS listener on free loopback ports.
struct RunningTLSServer {
  let server: HTTPServer
  let certificate: TestCertificate
  var plainPort: Int { server.boundAddresses[0].port }
  var tlsPort: Int { server.boundTLSAddresses[0].port }
  var plainBase: String { "http://127.0.0.1:\(plainPort)" }
  var tlsBase: String { "https://127.0.0.1:\(tlsPort)" }
  /// curl arguments that trust the test certificate.
  var trust: [String] { ["--cacert", certificate.certificatePath] }

  init(router: Router, _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
    let certificate = try await TestCertificate.make()
    var configuration = ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
    configuration.tls = TLSConfiguration(
      listen: [ListenAddress(host: "127.0.0.1", port: 0)], certificatePath: certificate.certificatePath,
      keyPath: certificate.keyPath)
    configure(&configuration)
    server = HTTPServer(configuration: configuration, router: router)
    self.certificate = certificate
    try server.start()
  }

  func stop() async {
    await server.shutdown(gracePeriod: .seconds(2))
    certificate.remove()
  }

  /// Runs `openssl s_client` against the TLS port with stdin closed; returns its status and output.
  func sClient(_ extra: [String]) async throws -> (status: Int32, out: String, err: String) {
    try await runTool(
      "/usr/bin/timeout",
      [
        "20", "/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:\(tlsPort)", "-CAfile",
        certificate.certificatePath,
      ]
        + extra)
  }

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

/// Runs a tool on a thread of its own with stdin at end of file; returns its status, stdout and stderr.
func runTool(_ path: String, _ arguments: [String]) async throws -> (status: Int32, out: String, err: String)
{
  try await offload {
    Result { () throws -> (status: Int32, out: String, err: String) in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = arguments
      let out = Pipe()
      let err = Pipe()
      process.standardOutput = out
      process.standardError = err
      process.standardInput = FileHandle.nullDevice
      try process.run()
      let errHandle = err.fileHandleForReading
      let group = DispatchGroup()
      nonisolated(unsafe) var errData = Data()
      let thread = Thread {
        errData = errHandle.readDataToEndOfFile()
        group.leave()
      }
      group.enter()
      thread.start()
      let outData = out.fileHandleForReading.readDataToEndOfFile()
      group.wait()
      process.waitUntilExit()
      return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self),
        String(decoding: errData, as: UTF8.self)
      )
    }
  }.get()
}
