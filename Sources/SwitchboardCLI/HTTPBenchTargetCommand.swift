import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Switchboard

/// `switchboard http-bench-target --listen HOST:PORT`: the server with the real router and access log,
/// answering `GET /api/v1/status` with a fixed ~600-byte JSON document; what scripts/bench-http measures.
struct HTTPBenchTargetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "http-bench-target", abstract: "Serve a fixed status document for the HTTP benchmark.",
    shouldDisplay: false)

  @Option(help: "Listen address HOST:PORT.")
  var listen: String = "127.0.0.1:8081"

  @Option(help: "HTTPS listen address HOST:PORT (HTTP/1.1 and h2 by ALPN); needs --tls-cert and --tls-key.")
  var tlsListen: String?

  @Option(help: "PEM certificate chain for --tls-listen.")
  var tlsCert: String?

  @Option(help: "PEM private key for --tls-listen.")
  var tlsKey: String?

  @Option(help: "Worker queues (default: one per core).")
  var workers: Int?

  @Option(help: "The file whose bytes are served at /api/v1/status.")
  var body: String

  func run() async throws {
    let sink = LoggingSetup.bootstrap()
    let bytes = try Array(String(contentsOfFile: body, encoding: .utf8).utf8)
    var router = Router()
    CoreRoutes.register(in: &router)
    let response = Response(
      status: .ok, headers: ["Content-Type": "application/json", "Cache-Control": "no-cache"],
      body: .bytes(bytes))
    router.get("/api/v1/status") { _ in response }
    router.get("/api/v1/services/{id}") { request in .text(request.parameters["id"] ?? "") }
    let address = try ListenAddress(parsing: listen)
    var configuration = ServerConfiguration(listen: [address])
    if let workers { configuration.workerCount = max(1, workers) }
    if let tlsListen {
      guard let tlsCert, let tlsKey else {
        throw ValidationError("--tls-listen needs --tls-cert and --tls-key.")
      }
      configuration.tls = TLSConfiguration(
        listen: [try ListenAddress(parsing: tlsListen)], certificatePath: tlsCert, keyPath: tlsKey)
    }
    let server = HTTPServer(configuration: configuration, router: router, observer: AccessLog())
    try server.start()
    let signals = SignalWatcher()
    for signalNumber in [SIGTERM, SIGINT] { signals.on(signalNumber) { Task { await server.shutdown() } } }
    await server.waitUntilStopped()
    sink.flush()
  }
}
