import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Switchboard
import Yams

/// `switchboard serve --config FILE [--listen HOST:PORT] [--tls-listen HOST:PORT --tls-cert PEM --tls-key PEM]`.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Run the control plane: engine, API, dashboard.")

  @Option(help: "The configuration file (YAML).")
  var config: String

  @Option(help: "Listen address HOST:PORT (repeatable); overrides the file's `listen`.")
  var listen: [String] = []

  @Option(help: "HTTPS listen address HOST:PORT (repeatable); overrides the file's `tls.listen`.")
  var tlsListen: [String] = []

  @Option(help: "PEM certificate chain for HTTPS; overrides the file's `tls.cert`.")
  var tlsCert: String?

  @Option(help: "PEM private key for HTTPS; overrides the file's `tls.key`.")
  var tlsKey: String?

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

    var configuration = ServerConfiguration(listen: addresses)
    configuration.tls = try tlsConfiguration(settings)
    let server = HTTPServer(
      configuration: configuration, router: router, observer: AccessLog(), logger: logger)
    try server.start()
    let signals = SignalWatcher()
    signals.on(SIGHUP) {
      do throws(TLSError) {
        try server.reloadTLSCertificates()
      } catch {
        logger.error("Keeping the current TLS certificate: \(error)")
      }
    }
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

  /// HTTPS settings from the flags, falling back to the file's `tls:` section; nil when neither names a listener.
  private func tlsConfiguration(_ settings: ServeSettings) throws -> TLSConfiguration? {
    let listenTexts = tlsListen.isEmpty ? (settings.tlsListen.map { [$0] } ?? []) : tlsListen
    guard !listenTexts.isEmpty else { return nil }
    guard let cert = tlsCert ?? settings.tlsCert, let key = tlsKey ?? settings.tlsKey else {
      throw ValidationError("HTTPS needs both a certificate and a key: pass --tls-cert and --tls-key.")
    }
    let addresses = try listenTexts.map { text throws -> ListenAddress in
      do { return try ListenAddress(parsing: text) } catch { throw ValidationError("\(error)") }
    }
    return TLSConfiguration(listen: addresses, certificatePath: cert, keyPath: key)
  }
}
