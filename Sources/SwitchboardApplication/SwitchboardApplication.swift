import AWS
import Configuration
import DNS
import DrillAPI
import Etcd
import FailoverCore
import HTTPServer
import Logging
import Probing
import StatusPages
import Switchboard
import Synchronization
import Telemetry

/// The composition root: builds the store, AWS clients, notifiers, prober, engine, routes and server from a loaded
/// configuration, then starts and stops them together. The one place that names concrete adapters; `serve` and
/// every test harness that needs "the server with its routes and store" use it.
public final class SwitchboardApplication: Sendable {
  /// The configuration it was built from.
  public let configuration: SwitchboardConfig
  /// Every fact the product keeps, through FailoverCore's store ports.
  public let store: any SwitchboardStore
  /// The control loop.
  public let engine: Engine
  /// The Prometheus registry behind `/metrics`.
  public let metrics: SwitchboardMetrics
  /// The answers of `/routing/{service}/{region}`.
  public let routingTable: RoutingTable
  /// Tokens and roles.
  public let access: APIAccess
  /// Re-reads the configuration file (nil without `configurationPath`).
  public let reloader: ConfigurationReloader?
  /// Every route: core, routing endpoint, API, readiness, metrics, and the dashboard.
  public let router: Router
  /// The HTTP(S) server over `router` (listening after `start` when `listens`).
  public let server: HTTPServer
  /// Drills: scheduled failover exercises, ticked by the drill scheduler while the loops run.
  public let drills: DrillConductor
  private let drillLoop = Mutex<Task<Void, Never>?>(nil)
  /// This node's and the other nodes' health views in a cluster (quorum health); nil on a single node.
  private let peerHealth: EtcdHealthViews?
  /// The built-in DNS zones and the RFC 2136 providers the services chose.
  public let dns: ConfiguredDNS
  /// The built-in authoritative DNS server (listening after `start` when `listens`), when a service uses it.
  public let dnsServer: DNSServer?
  private let options: ApplicationOptions
  private let cluster: ClusterWiring
  private let retention: StoreRetention
  private let pruning = Mutex<Task<Void, Never>?>(nil)
  /// The CloudWatch heartbeat (nil when the configuration uses no AWS), run with the loops.
  private let heartbeat: HeartbeatPublisher?
  private let heartbeatLoop = Mutex<Task<Void, Never>?>(nil)
  private let logger = Logger(label: "switchboard")

  /// Builds everything; nothing runs until `start`.
  public init(config: SwitchboardConfig, options: ApplicationOptions = ApplicationOptions())
    throws(ApplicationError)
  {
    configuration = config
    self.options = options
    let store: any SwitchboardStore
    do {
      store = try StoreOpening.open(config: config, durability: options.storeDurability)
    } catch {
      throw ApplicationError("The store at \(StoreOpening.describe(config)) cannot be opened: \(error)")
    }
    let cluster = ClusterWiring(config: config, options: options, store: store)
    self.cluster = cluster
    let routingTable = RoutingTable()
    let metrics = SwitchboardMetrics()
    let clients = AWSClients(config: config, observer: metrics)
    let dns = try ConfiguredDNS(config: config)
    var ports: EnginePorts
    do {
      ports = try EnginePorts(
        config: config, store: store, clients: clients, routingTable: routingTable,
        dns: dns.routed(fallback: clients.route53))
    } catch {
      throw ApplicationError(error.description)
    }
    let settings = options.engineSettings ?? EngineSettings(config: config)
    ports.observer = HealthHistoryRecorder(store: store, forwardingTo: metrics)
    let peerHealth = EtcdHealthViews.configured(config: config, options: options, store: store)
    ports.peerHealth = peerHealth
    let prober = HTTPProber(
      laneCount: settings.probeLanes, maxInFlight: settings.probeMaxInFlight ?? HTTPProber.defaultMaxInFlight,
      keepAlive: settings.probeKeepAlive ?? HTTPProber.defaultKeepAlive)
    logger.info(
      "Probes: at most \(prober.maxInFlight) connections open (probes.max_in_flight), keep-alive \(prober.keepAlive ? "on" : "off") (probes.keep_alive)."
    )
    ports.prober = prober
    ports.leadership = cluster.election
    options.ports(&ports)
    let engine = Engine(config: config, ports: ports, clock: options.clock, settings: settings)
    metrics.watch(engine)
    metrics.watchProbeCapacity { prober.withoutSlot() }
    let drills = DrillConductor(
      ports: DrillConductor.Ports(
        store: store, workflows: store, engine: engine, alarms: ports.alarms, clock: options.clock),
      defaults: config.drills, observer: metrics)

    let access = APIAccess(tokens: config.tokens, publicStatus: config.publicStatus)
    let reloader = options.configurationPath.map {
      ConfigurationReloader(
        path: $0, current: config, engine: engine, access: access, events: store, clock: options.clock)
    }
    let router = try Self.routes(
      config: config, options: options, engine: engine, store: store, access: access, reloader: reloader,
      table: routingTable, metrics: metrics, clients: clients, drills: drills, cluster: cluster.identity)
    var serverConfiguration = ServerConfiguration(listen: options.listen ?? [config.listen])
    serverConfiguration.tls =
      options.tls
      ?? config.tls.map {
        TLSConfiguration(listen: [$0.listen], certificatePath: $0.certificatePath, keyPath: $0.keyPath)
      }
    server = HTTPServer(
      configuration: serverConfiguration, router: router, observer: ObserverGroup([AccessLog(), metrics]),
      logger: logger)
    retention = StoreRetention(store: store, clock: options.clock) {
      reloader?.current.retention ?? config.retention
    }
    let election = cluster.election
    heartbeat = HeartbeatPublisher.configured(
      config: config, clients: clients, metrics: metrics, clock: options.clock
    ) { election?.isLeader() ?? true }
    self.store = store
    self.peerHealth = peerHealth
    self.dns = dns
    dnsServer = dns.server()
    self.routingTable = routingTable
    self.metrics = metrics
    self.drills = drills
    self.engine = engine
    self.access = access
    self.reloader = reloader
    self.router = router
  }

  /// Every route `serve` answers.
  private static func routes(
    config: SwitchboardConfig, options: ApplicationOptions, engine: Engine, store: any SwitchboardStore,
    access: APIAccess, reloader: ConfigurationReloader?, table: RoutingTable, metrics: SwitchboardMetrics,
    clients: AWSClients, drills: DrillConductor, cluster: ClusterIdentity
  ) throws(ApplicationError) -> Router {
    var router = Router()
    CoreRoutes.register(in: &router)
    RoutingRoutes.register(in: &router, engine: engine, table: table)
    let context = APIContext(
      engine: engine, store: store, access: access, reloader: reloader, clock: options.clock, drills: drills)
    APIRoutes.register(in: &router, context: context)
    DrillRoutes.register(in: &router, context: context)
    StatusRoutes.register(in: &router, context: context)
    ClusterRoutes.register(in: &router, context: context, identity: cluster)
    ReadinessChecks(
      engine: engine, store: store, clock: options.clock,
      dependencies: ReadinessChecks.Dependency.aws(config: config, clients: clients)
    ).register(in: &router)
    MetricsRoutes.register(in: &router, metrics: metrics, access: access)
    if options.servesDashboard {
      do {
        try StaticFiles(root: config.publicDirectory).register(in: &router)
      } catch {
        throw ApplicationError("The dashboard folder \(config.publicDirectory) cannot be served: \(error)")
      }
    }
    return router
  }

  /// Starts the engine (loading the store, resuming workflows, starting probes), then the listeners and pruning.
  public func start() async throws(ApplicationError) {
    await peerHealth?.start()
    do { try await dns.seedBuiltinZones(from: store) } catch {
      await peerHealth?.stop()
      throw ApplicationError("The built-in DNS zones cannot be loaded from the store: \(error)")
    }
    // Joining the cluster is not one of the engine's loops: a driven engine (tests) on etcd still campaigns.
    cluster.election?.start()
    do { try await engine.start(runLoops: options.runsLoops) } catch {
      await peerHealth?.stop()
      throw ApplicationError(error.description)
    }
    if options.listens {
      do { try server.start() } catch {
        await engine.stop()
        throw ApplicationError("Cannot listen: \(error)")
      }
      do { try dnsServer?.start() } catch {
        await engine.stop()
        await server.shutdown(gracePeriod: .zero)
        throw ApplicationError(error.description)
      }
    }
    if options.runsLoops {
      let (reloader, config) = (self.reloader, configuration)
      var drafted = DrillScheduler(conductor: drills) { reloader?.current.drills ?? config.drills }
      drafted.leadership = cluster.election
      let scheduler = drafted
      drillLoop.withLock { $0 = Task { await scheduler.run() } }
      if let heartbeat { heartbeatLoop.withLock { $0 = Task { await heartbeat.run() } } }
    }
    if options.prunes {
      let retention = self.retention
      pruning.withLock { $0 = Task { await retention.run() } }
    }
  }

  /// Stops the engine, then lets in-flight requests finish for up to `grace` and closes the listeners.
  public func stop(grace: Duration = .seconds(10)) async {
    drillLoop.withLock { $0?.cancel() }
    heartbeatLoop.withLock { $0?.cancel() }
    await engine.stop()
    await cluster.election?.stop()
    dnsServer?.stop()
    await peerHealth?.stop()
    if options.listens { await server.shutdown(gracePeriod: grace) }
    pruning.withLock { $0?.cancel() }
  }

  /// Returns once the server has stopped (after `stop`, or a signal's).
  public func waitUntilStopped() async {
    await server.waitUntilStopped()
    dnsServer?.stop()
    pruning.withLock { $0?.cancel() }
  }

  /// Whether HTTPS is configured.
  public var servesTLS: Bool { server.configuration.tls != nil }
}
