import ArgumentParser
import Foundation
import HTTPServer
import struct HTTPServer.ListenAddress
import Logging
import Switchboard
import Yams

/// `switchboard serve --config FILE [--listen HOST:PORT]`.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Run the control plane: engine, API, dashboard.")

  @Option(help: "The configuration file (YAML).")
  var config: String

  @Option(help: "Listen address HOST:PORT (repeatable); overrides the file's `listen`.")
  var listen: [String] = []

  @Option(help: "Seconds to let in-flight requests finish on SIGTERM/SIGINT.")
  var shutdownGrace: Double = 10

  func run() async throws {
    let sink = LoggingSetup.bootstrap()
    let logger = Logger(label: "switchboard")
    let settings = try ServeSettings.load(path: config)
    let addresses = try (listen.isEmpty ? settings.listen : listen).map { text throws -> ListenAddress in
      do { return try ListenAddress(parsing: text) } catch { throw ValidationError("\(error)") }
    }

    var router = Router()
    CoreRoutes.register(in: &router)
    let files = try StaticFiles(root: settings.publicDir)
    files.register(in: &router)

    let server = HTTPServer(
      configuration: ServerConfiguration(listen: addresses), router: router, observer: AccessLog(),
      logger: logger)
    try server.start()
    let signals = SignalWatcher()
    let grace = Duration.milliseconds(Int(shutdownGrace * 1000))
    for signalNumber in [SIGTERM, SIGINT] {
      signals.on(signalNumber) {
        logger.info("Signal \(signalNumber): stopping gracefully (up to \(grace)).")
        Task { await server.shutdown(gracePeriod: grace) }
      }
    }
    await server.waitUntilStopped()
    logger.info("Stopped.")
    sink.flush()
  }
}
