import Configuration
import FailoverCore
import Foundation
import Switchboard
import SwitchboardApplication
import Telemetry
import Testing

/// The engine's part of the metrics: finished workflows counted once, state gauges refreshed from the snapshot at
/// each render, series of services that went away dropped. Driven tick by tick on a manual clock.
@Suite("Metrics from the engine")
struct MetricsEngineTests {
  static let primary = EngineFixtures.key("us-east-1", EngineTests.primaryURL)
  static let secondary = EngineFixtures.key("us-west-2", EngineTests.secondaryURL)
  static let service = #"service="api.example.com""#

  /// The application as `serve` composes it (`SwitchboardApplication`: the engine's observer and watched engine
  /// feed one `SwitchboardMetrics`), without probes, loops or listeners, on a manual clock with a fake DNS.
  struct Harness {
    let clock = EngineManualClock()
    let application: SwitchboardApplication
    var metrics: SwitchboardMetrics { application.metrics }
    var engine: Engine { application.engine }
    let config: SwitchboardConfig

    init() throws {
      var config = EngineFixtures.config(
        primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID())").path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      config.storagePath = directory + "/store.sqlite"
      self.config = config
      application = try SwitchboardApplication(
        config: config,
        options: .driven(
          clock: clock, dns: EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]),
          storeDurability: .normal))
    }

    /// One observation per region, then a tick one second later.
    func round(primary: HealthStatus) async {
      await engine.submit(
        Observation(signal: MetricsEngineTests.primary, status: primary, reason: "p", at: clock.now))
      await engine.submit(
        Observation(signal: MetricsEngineTests.secondary, status: .healthy, reason: "s", at: clock.now))
      await engine.tick()
      clock.advance(1)
    }
  }

  @Test(
    "Given a failover, when /metrics renders twice, then the workflow is counted once with its duration, and the gauges show the new routing"
  )
  func failoverCountedOnce() async throws {
    let harness = try Harness()
    try await harness.engine.start(runLoops: false)
    for _ in 0..<3 { await harness.round(primary: .healthy) }
    let before = await harness.metrics.renderText()
    #expect(Exposition.value(before, #"switchboard_active_region{\#(Self.service),region="us-east-1"}"#) == 1)
    #expect(
      Exposition.value(
        before, #"switchboard_service_health{\#(Self.service),region="us-east-1",status="healthy"}"#)
        == 1)
    #expect(Exposition.samples(before, containing: "switchboard_workflows_total").isEmpty)

    for _ in 0..<3 { await harness.round(primary: .unhealthy) }
    await harness.engine.waitForWorkflows()
    _ = await harness.metrics.render()
    let text = await harness.metrics.renderText()

    let counted = #"switchboard_workflows_total{\#(Self.service),trigger="automatic",outcome="succeeded"}"#
    #expect(Exposition.value(text, counted) == 1, "\(text)")
    #expect(Exposition.samples(text, containing: "switchboard_workflows_total").count == 1)
    #expect(
      Exposition.value(
        text, #"switchboard_workflow_duration_seconds_count{\#(Self.service),outcome="succeeded"}"#)
        == 1)
    #expect(
      Exposition.value(
        text, #"switchboard_workflow_milestone_seconds_count{\#(Self.service),milestone="decided"}"#)
        == 1)
    #expect(Exposition.value(text, #"switchboard_active_region{\#(Self.service),region="us-east-1"}"#) == 0)
    #expect(Exposition.value(text, #"switchboard_active_region{\#(Self.service),region="us-west-2"}"#) == 1)
    #expect(
      Exposition.value(text, #"switchboard_routing_weight{\#(Self.service),region="us-west-2"}"#) == 100)
    #expect(
      Exposition.value(
        text, #"switchboard_service_health{\#(Self.service),region="us-east-1",status="unhealthy"}"#)
        == 1)
    #expect(
      Exposition.value(
        text, #"switchboard_service_health{\#(Self.service),region="us-east-1",status="healthy"}"#)
        == 0)
    #expect(Exposition.value(text, "switchboard_workflows_in_flight") == 0)
    await harness.engine.stop()
  }

  /// A sleeper that parks until its task is cancelled (a workflow waiting when the engine stops).
  struct ParkingSleeper: Sleeper {
    func sleep(seconds: Double) async throws { try await Task.sleep(for: .seconds(3600)) }
  }

  /// A zone whose changes never reach INSYNC, so a workflow waits for them.
  struct PendingDNS: DNSProvider {
    let zone: EngineFakeDNS
    func hostedZoneID(forDomain domain: String) async throws -> String {
      try await zone.hostedZoneID(forDomain: domain)
    }
    func records(zoneID: String, name: String) async throws -> [DNSRecord] {
      try await zone.records(zoneID: zoneID, name: name)
    }
    func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt { try await zone.submit(batch) }
    func changeStatus(id: String) async throws -> DNSChangeStatus { .pending }
  }

  @Test(
    "Given a workflow interrupted by a stop, when the next engine resumes it to success, then it has one outcome (succeeded) and one interruption"
  )
  func interruptedWorkflowCountedOnce() async throws {
    let metrics = SwitchboardMetrics()
    let store = MemoryStore()
    let dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    let config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    func engine(_ sleeper: any Sleeper, _ clock: EngineManualClock, pending: Bool = false) -> Engine {
      var ports = EngineFixtures.ports(
        store: store, dns: dns, notifier: EngineFakeNotifier(), sleeper: sleeper)
      if pending { ports.dns = PendingDNS(zone: dns) }
      ports.observer = metrics
      return Engine(config: config, ports: ports, clock: clock, settings: EngineSettings(runsProbes: false))
    }
    let clock = EngineManualClock()
    let first = engine(ParkingSleeper(), clock, pending: true)
    try await first.start(runLoops: false)
    for status in [HealthStatus.healthy, .healthy, .healthy, .unhealthy, .unhealthy, .unhealthy] {
      await first.submit(Observation(signal: Self.primary, status: status, reason: "p", at: clock.now))
      await first.submit(Observation(signal: Self.secondary, status: .healthy, reason: "s", at: clock.now))
      await first.tick()
      clock.advance(1)
    }
    await first.stop()
    let stopped = await metrics.renderText()

    let second = engine(InstantSleeper(), clock)
    try await second.start(runLoops: false)
    await second.waitForWorkflows()
    let text = await metrics.renderText()
    await second.stop()

    #expect(
      Exposition.value(stopped, #"switchboard_workflow_interruptions_total{\#(Self.service)}"#) == 1,
      "\(stopped)")
    #expect(Exposition.samples(stopped, containing: "switchboard_workflows_total{").isEmpty, "\(stopped)")
    #expect(Exposition.samples(text, containing: "switchboard_workflows_total{").count == 1, "\(text)")
    #expect(
      Exposition.value(
        text, #"switchboard_workflows_total{\#(Self.service),trigger="automatic",outcome="succeeded"}"#) == 1)
    #expect(Exposition.value(text, #"switchboard_workflow_interruptions_total{\#(Self.service)}"#) == 1)
  }

  @Test(
    "Given a freeze override, when /metrics renders, then overrides_active counts it and the other kinds are 0"
  )
  func overridesCounted() async throws {
    let harness = try Harness()
    try await harness.engine.start(runLoops: false)
    _ = try await harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "alice", reason: "game day", duration: 600))

    let text = await harness.metrics.renderText()

    #expect(Exposition.value(text, #"switchboard_overrides_active{kind="freeze"}"#) == 1)
    #expect(Exposition.value(text, #"switchboard_overrides_active{kind="drain"}"#) == 0)
    #expect(Exposition.value(text, #"switchboard_overrides_active{kind="force"}"#) == 0)
    #expect(Exposition.value(text, #"switchboard_overrides_active{kind="block"}"#) == 0)
    await harness.engine.stop()
  }

  @Test(
    "Given a reload that renames the service, when /metrics renders, then the old service's series are gone")
  func reloadDropsStaleSeries() async throws {
    let harness = try Harness()
    try await harness.engine.start(runLoops: false)
    await harness.round(primary: .healthy)
    #expect(!Exposition.samples(await harness.metrics.renderText(), containing: Self.service).isEmpty)

    var next = harness.config
    next.services[0].id = "web.example.com"
    next.services[0].dnsName = "web.example.com"
    await harness.engine.reload(next)
    await harness.engine.tick()
    let text = await harness.metrics.renderText()

    #expect(Exposition.samples(text, containing: Self.service).isEmpty, "\(text)")
    #expect(
      Exposition.value(text, #"switchboard_active_region{service="web.example.com",region="us-east-1"}"#) == 1
    )
    await harness.engine.stop()
  }

  @Test("Given an engine probing a sample region, then its probe results and latencies are counted")
  func probesCounted() async throws {
    let (_, primaryServer, primaryBase) = try Loopback.sampleRegion("us-east-1")
    let (_, secondaryServer, secondaryBase) = try Loopback.sampleRegion("us-west-2")
    defer {
      Task {
        await primaryServer.shutdown()
        await secondaryServer.shutdown()
      }
    }
    let config = EngineFixtures.config(
      primaryURL: "\(primaryBase)/health", secondaryURL: "\(secondaryBase)/health", interval: 0.2)
    let metrics = SwitchboardMetrics()
    var ports = EngineFixtures.ports(
      store: MemoryStore(), dns: EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]),
      notifier: EngineFakeNotifier(), sleeper: TaskSleeper())
    ports.observer = metrics
    let engine = Engine(config: config, ports: ports, settings: EngineSettings(tickInterval: 0.2))
    try await engine.start()
    let signal = #"signal="probe \#(primaryBase)/health""#
    let results =
      #"switchboard_probe_results_total{\#(Self.service),region="us-east-1",\#(signal),result="healthy"}"#
    let latencies =
      #"switchboard_probe_latency_seconds_count{\#(Self.service),region="us-east-1",\#(signal)}"#

    let probed = await eventually(timeout: 30) {
      (Exposition.value(await metrics.renderText(), results) ?? 0) >= 3
    }
    await engine.stop()

    let text = await metrics.renderText()
    #expect(probed, "\(text)")
    #expect(Exposition.value(text, latencies) == Exposition.value(text, results))
    #expect(
      Exposition.value(
        text,
        #"switchboard_probe_latency_seconds_bucket{\#(Self.service),region="us-east-1",\#(signal),le="10.0"}"#
      )
        == Exposition.value(text, results))
  }

  @Test(
    "Given the engine's state gauges, when /metrics renders, then they are written from the snapshot, never registered as series (registering 60,000 took minutes at 10,000 targets)"
  )
  func stateGaugesNotRegistered() async throws {
    let harness = try Harness()
    try await harness.engine.start(runLoops: false)
    for _ in 0..<3 { await harness.round(primary: .healthy) }
    let text = await harness.metrics.renderText()
    #expect(Exposition.value(text, #"switchboard_active_region{\#(Self.service),region="us-east-1"}"#) == 1)
    #expect(text.components(separatedBy: "# TYPE switchboard_service_health gauge").count == 2)
    let registered = String(decoding: harness.metrics.registry.emitToBuffer(), as: UTF8.self)
    #expect(!registered.contains("switchboard_service_health"))
    #expect(!registered.contains("switchboard_active_region"))
  }
}
