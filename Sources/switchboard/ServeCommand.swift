import AWS
import ArgumentParser
import Foundation
import HTTPServer
import Logging
import Probing
import Store
import Switchboard

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

  func validate() throws {
    guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace cannot be negative.") }
  }

  func run() async throws {
    let sink = LoggingSetup.bootstrap()
    defer { sink.flush() }
    let logger = Logger(label: "switchboard")
    let loaded = try loadConfiguration()
    let addresses = try listenAddresses(loaded)

    let store: SQLiteStore
    do {
      store = try SQLiteStore(path: loaded.storagePath)
    } catch {
      throw Terminal.failure("serve", "The store at \(loaded.storagePath) cannot be opened: \(error)")
    }
    let routingTable = RoutingTable()
    let metrics = SwitchboardMetrics()
    var ports: EnginePorts
    let clients = AWSClients(config: loaded, observer: metrics)
    do {
      ports = try EnginePorts(config: loaded, store: store, clients: clients, routingTable: routingTable)
    } catch {
      throw Terminal.failure("serve", error.description)
    }
    ports.observer = HealthHistoryRecorder(store: store, forwardingTo: metrics)
    let settings = EngineSettings(config: loaded)
    ports.prober = HTTPProber(laneCount: settings.probeLanes)
    let engine = Engine(config: loaded, ports: ports, settings: settings)
    metrics.watch(engine)
    do { try await engine.start() } catch { throw Terminal.failure("serve", error.description) }

    let access = APIAccess(tokens: loaded.tokens, publicStatus: loaded.publicStatus)
    let reloader = ConfigurationReloader(
      path: config, current: loaded, engine: engine, access: access, events: store)
    let api = APIContext(engine: engine, store: store, access: access, reloader: reloader)
    var router = Router()
    CoreRoutes.register(in: &router)
    RoutingRoutes.register(in: &router, engine: engine, table: routingTable)
    APIRoutes.register(in: &router, context: api)
    let awsDependencies = ReadinessChecks.Dependency.aws(config: loaded, clients: clients)
    ReadinessChecks(engine: engine, store: store, dependencies: awsDependencies).register(in: &router)
    MetricsRoutes.register(in: &router, metrics: metrics, access: access)
    do {
      try StaticFiles(root: loaded.publicDirectory).register(in: &router)
    } catch {
      await engine.stop()
      throw Terminal.failure(
        "serve", "The dashboard folder \(loaded.publicDirectory) cannot be served: \(error)")
    }
    var configuration = ServerConfiguration(listen: addresses)
    configuration.tls = try tlsConfiguration(loaded)
    let server = HTTPServer(
      configuration: configuration, router: router, observer: ObserverGroup([AccessLog(), metrics]),
      logger: logger)
    do { try server.start() } catch {
      await engine.stop()
      throw Terminal.failure("serve", "Cannot listen: \(error)")
    }
    let bound =
      (server.boundAddresses.map { "http://\($0)" } + server.boundTLSAddresses.map { "https://\($0)" })
      .joined(separator: ", ")
    logger.info(
      "Serving \(loaded.services.count) service(s) on \(bound); store \(loaded.storagePath).")

    let signals = SignalWatcher()
    let grace = Duration.milliseconds(Int(shutdownGrace * 1000))
    let usesTLS = configuration.tls != nil
    signals.on(SIGHUP) {
      if usesTLS {
        do throws(TLSError) {
          try server.reloadTLSCertificates()
          logger.info("SIGHUP: reloaded the TLS certificate.")
        } catch {
          logger.error("SIGHUP: keeping the current TLS certificate: \(error)")
        }
      }
      Task { _ = await reloader.reload(actor: "signal:SIGHUP") }
    }
    for signalNumber in [SIGTERM, SIGINT] {
      signals.on(signalNumber) {
        logger.info("Signal \(signalNumber): stopping the engine, then the server (grace \(grace)).")
        Task {
          await engine.stop()
          await server.shutdown(gracePeriod: grace)
        }
      }
    }
    let retention = StoreRetention(store: store) { reloader.current.retention }
    let pruning = Task { await retention.run() }
    await server.waitUntilStopped()
    pruning.cancel()
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
