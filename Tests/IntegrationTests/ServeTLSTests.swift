import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `serve` over HTTPS and HTTP/2: the TLS flags, h2 by ALPN, h2c on the plain port, certificate reload on SIGHUP.
@Suite("switchboard serve over TLS and HTTP/2")
struct ServeTLSTests {
  /// Runs a tool to completion (bounded by its own flags) and returns its status and output.
  static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A fresh self-signed certificate for 127.0.0.1 at these paths.
  static func issue(cert: String, key: String, name: String) throws {
    let result = try run(
      "/usr/bin/openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
        "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
      ])
    guard result.status == 0 else { throw HarnessError("openssl req failed: \(result.out)") }
  }

  @Test(
    "Given --tls-listen/--tls-cert/--tls-key, serve answers h2 over TLS and h2c on the plain port; SIGHUP loads a new certificate"
  )
  func tlsAndHTTP2() async throws {
    let directory = try ChildProcess.temporaryDirectory("serve-tls")
    let cert = directory + "/cert.pem"
    let key = directory + "/key.pem"
    try Self.issue(cert: cert, key: key, name: "first")
    let config = ServeConfig(
      primaryHealthURL: "http://127.0.0.1:9/health", secondaryHealthURL: "http://127.0.0.1:9/health",
      directory: directory)
    let tlsPort = try freeLoopbackPort()
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
    environment["AWS_SECRET_ACCESS_KEY"] = "example"
    let serve = try await ServeProcess(
      config: try config.write(), environment: environment,
      extraArguments: ["--tls-listen", "127.0.0.1:\(tlsPort)", "--tls-cert", cert, "--tls-key", key])
    defer { serve.kill() }

    let https = "https://127.0.0.1:\(tlsPort)/healthz"
    let overTLS = try Self.run(
      "/usr/bin/curl",
      ["-sS", "-m", "10", "--cacert", cert, "--http2", "-w", " %{http_version} %{http_code}", https])
    #expect(overTLS.out.hasSuffix(" 2 200"), "\(overTLS.out)\n\(serve.output)")
    let h2c = try Self.run(
      "/usr/bin/curl",
      [
        "-sS", "-m", "10", "--http2-prior-knowledge", "-w", " %{http_version} %{http_code}",
        "\(serve.base)/healthz",
      ])
    #expect(h2c.out.hasSuffix(" 2 200"), "\(h2c.out)")

    // A new certificate on disk, then SIGHUP: new handshakes present it (the old CA no longer verifies).
    try Self.issue(cert: cert + ".new", key: key + ".new", name: "second")
    _ = rename(cert + ".new", cert)
    _ = rename(key + ".new", key)
    serve.signal(SIGHUP)
    var reloaded = false
    for _ in 0..<100 where !reloaded {
      let probe = try Self.run(
        "/usr/bin/curl", ["-sS", "-m", "5", "--cacert", cert, "-o", "/dev/null", "-w", "%{http_code}", https])
      reloaded = probe.out == "200"
      if !reloaded { try await Task.sleep(nanoseconds: 100_000_000) }
    }
    #expect(reloaded, "\(serve.output)")
    // The log is flushed every 100 ms: wait (bounded) for the line.
    for _ in 0..<50 where !serve.output.contains("SIGHUP: reloaded the TLS certificate.") {
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    #expect(serve.output.contains("SIGHUP: reloaded the TLS certificate."), "\(serve.output)")
  }
}
