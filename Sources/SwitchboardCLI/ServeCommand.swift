import ArgumentParser
import CMalloc
import Configuration
import Foundation
import HTTPServer
import Logging
import Probing
import Provisioning
import Sockets
import Store
import Switchboard
import SwitchboardApplication

/// `switchboard serve --config FILE [--listen HOST:PORT] [--tls-listen HOST:PORT --tls-cert PEM --tls-key PEM]`:
/// the engine, the routing endpoint and the dashboard, over HTTP/1.1, h2c and (with TLS) HTTPS and h2.
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

  @Option(help: "This node's id in a cluster (default: its first --listen address, HOST:PORT).")
  var nodeId: String?

  @Option(help: "The URL other nodes reach this node's API at (default: http:// + the first listen address).")
  var advertiseUrl: String?

  func validate() throws {
    guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace cannot be negative.") }
    if let nodeId, nodeId.isEmpty || nodeId.count > 128 || nodeId.contains("/") {
      throw ValidationError("--node-id must be 1 to 128 characters without `/`.")
    }
    if let advertiseUrl, URL(string: advertiseUrl)?.host == nil {
      throw ValidationError("--advertise-url must be an http(s) URL, not \"\(advertiseUrl)\".")
    }
  }

  func run() async throws {
    let sink = LoggingSetup.bootstrap()
    defer { sink.flush() }
    let logger = Logger(label: "switchboard")
    // Every probe and client holds a descriptor: take what the hard limit allows, as nginx and Go do.
    if let limit = FileDescriptorLimit.raiseToHard() {
      logger.info("Open files: soft limit \(limit.soft), hard limit \(limit.hard).")
    }
    // One malloc arena per core, not glibc's eight: with threads for the probe lanes, the HTTP workers and the
    // concurrency pool, the extra arenas kept about 45 MB of free pages at 10,000 targets (scripts/bench-serve).
    _ = cmalloc_limit_arenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    let trimmer = HeapTrimmer(logger: logger)
    defer { withExtendedLifetime(trimmer) {} }
    let loaded = try loadConfiguration()
    var options = ApplicationOptions(
      configurationPath: config, listen: try listenAddresses(loaded), tls: try tlsConfiguration(loaded))
    options.nodeID = nodeId
    options.advertiseURL = advertiseUrl
    let application: SwitchboardApplication
    do {
      application = try SwitchboardApplication(config: loaded, options: options)
      try await application.start()
    } catch {
      throw Terminal.failure("serve", error.description)
    }
    let server = application.server
    let bound =
      (server.boundAddresses.map { "http://\($0)" } + server.boundTLSAddresses.map { "https://\($0)" })
      .joined(separator: ", ")
    logger.info(
      "Serving \(loaded.services.count) service(s) on \(bound); store \(StoreOpening.describe(loaded)).")

    let signals = SignalWatcher()
    let grace = Duration.milliseconds(Int(shutdownGrace * 1000))
    let usesTLS = application.servesTLS
    let reloader = application.reloader
    signals.on(SIGHUP) {
      if usesTLS {
        do throws(TLSError) {
          try server.reloadTLSCertificates()
          logger.info("SIGHUP: reloaded the TLS certificate.")
        } catch {
          logger.error("SIGHUP: keeping the current TLS certificate: \(error)")
        }
      }
      Task { _ = await reloader?.reload(actor: "signal:SIGHUP") }
    }
    for signalNumber in [SIGTERM, SIGINT] {
      signals.on(signalNumber) {
        logger.info("Signal \(signalNumber): stopping the engine, then the server (grace \(grace)).")
        Task { await application.stop(grace: grace) }
      }
    }
    await application.waitUntilStopped()
    logger.info("Stopped.")
  }

  /// The configuration, or every problem with its line and column on stderr and exit 1.
  private func loadConfiguration() throws -> SwitchboardConfig {
    do {
      return try SwitchboardConfig.load(path: config)
    } catch {
      let count = error.problems.count
      Terminal.error(error.description)
      throw Terminal.failure(
        "serve",
        "\(config) is not a valid configuration (\(count) problem\(count == 1 ? "" : "s"), listed above); "
          + "fix it and run `switchboard validate \(config)`.")
    }
  }

  private func listenAddresses(_ loaded: SwitchboardConfig) throws -> [ListenAddress] {
    guard !listen.isEmpty else { return [loaded.listen] }
    return try listen.map { text throws -> ListenAddress in
      do { return try ListenAddress(parsing: text) } catch {
        throw ValidationError("--listen \(text): \(error)")
      }
    }
  }

  /// HTTPS settings from the flags, falling back to the file's `tls:` section; nil when neither names a listener.
  private func tlsConfiguration(_ loaded: SwitchboardConfig) throws -> TLSConfiguration? {
    let addresses: [ListenAddress]
    if tlsListen.isEmpty {
      addresses = loaded.tls.map { [$0.listen] } ?? []
    } else {
      addresses = try tlsListen.map { text throws -> ListenAddress in
        do { return try ListenAddress(parsing: text) } catch {
          throw ValidationError("--tls-listen \(text): \(error)")
        }
      }
    }
    guard !addresses.isEmpty else { return nil }
    guard let cert = tlsCert ?? loaded.tls?.certificatePath, let key = tlsKey ?? loaded.tls?.keyPath else {
      throw ValidationError("HTTPS needs both a certificate and a key: pass --tls-cert and --tls-key.")
    }
    return TLSConfiguration(listen: addresses, certificatePath: cert, keyPath: key)
  }
}
