import Configuration
import FailoverCore
import Foundation
import Switchboard
import Testing

/// The engine's decisions, driven tick by tick on a manual clock, with observations handed in directly.
@Suite("Engine decisions")
struct EngineTests {
  static let primaryURL = "http://127.0.0.1:9001/health"
  static let secondaryURL = "http://127.0.0.1:9002/health"
  static let primary = EngineFixtures.key("us-east-1", primaryURL)
  static let secondary = EngineFixtures.key("us-west-2", secondaryURL)

  /// An engine without probes or loops over in-memory ports, the record at the primary.
  struct Harness {
    let clock = EngineManualClock()
    let store = MemoryStore()
    let dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    let notifier = EngineFakeNotifier()
    let engine: Engine

    init(
      config: SwitchboardConfig = EngineFixtures.config(primaryURL: primaryURL, secondaryURL: secondaryURL)
    ) {
      engine = Engine(
        config: config,
        ports: EngineFixtures.ports(store: store, dns: dns, notifier: notifier, sleeper: InstantSleeper()),
        clock: clock, settings: EngineSettings(runsProbes: false))
    }

    /// Hands in one observation per signal and ticks once, one second later.
    func round(primary: HealthStatus, secondary: HealthStatus = .healthy) async {
      await engine.submit(
        Observation(signal: EngineTests.primary, status: primary, reason: "\(primary)", at: clock.now))
      await engine.submit(
        Observation(signal: EngineTests.secondary, status: secondary, reason: "\(secondary)", at: clock.now))
      await engine.tick()
      clock.advance(1)
    }

    /// Three healthy rounds: both regions pass the success threshold.
    func warmUp() async throws {
      try await engine.start(runLoops: false)
      for _ in 0..<3 { await round(primary: .healthy) }
    }
  }

  @Test("Given both regions healthy, when the primary fails three times, then the third tick fails over")
  func failover() async throws {
    let harness = Harness()
    try await harness.warmUp()
    var snapshot = await harness.engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.regions.map(\.health.status) == [.healthy, .healthy])
    #expect(snapshot?.lastDecision?.isNoAction == true)

    await harness.round(primary: .unhealthy)
    await harness.round(primary: .unhealthy)
    snapshot = await harness.engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.workflow == nil && snapshot?.lastWorkflow == nil)
    #expect(await harness.store.events(of: .decisionInitiated).isEmpty)

    await harness.round(primary: .unhealthy)
    await harness.engine.waitForWorkflows()
    snapshot = await harness.engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.activeRegion == "us-west-2")
    #expect(snapshot?.lastWorkflow?.state == .succeeded)
    #expect(snapshot?.regions.first?.health.status == .unhealthy)
    #expect(await harness.dns.values(of: "api.example.com") == ["192.0.2.20"])
    #expect(await harness.store.events(of: .decisionInitiated).count == 1)
    #expect(await harness.store.events(of: .workflowSucceeded).count == 1)
    #expect(await harness.notifier.delivered.map(\.kind) == [.initiated, .succeeded])

    // Then: the next ticks see the service at the secondary and do nothing more (failback is manual).
    await harness.round(primary: .unhealthy)
    #expect(await harness.dns.submissions.count == 1)
  }

  @Test(
    "Given a block override, when the primary fails, then one blocked event and one notification per episode")
  func blocked() async throws {
    let harness = Harness()
    try await harness.warmUp()
    let block = try await harness.engine.createOverride(
      OverrideRequest(
        scope: .service(EngineFixtures.service), kind: .block, actor: "alice", reason: "database migration"))
    #expect(await harness.store.events(of: .overrideCreated).count == 1)

    for _ in 0..<6 { await harness.round(primary: .unhealthy) }
    #expect(await harness.dns.submissions.isEmpty)
    #expect(await harness.store.events(of: .decisionBlocked).count == 1)
    let notified = await eventually(timeout: 10) { await harness.notifier.delivered.count == 1 }
    #expect(notified)
    #expect(await harness.notifier.delivered.first?.kind == .blocked)
    let decision = await harness.engine.snapshot().service(EngineFixtures.service)?.lastDecision
    #expect(decision?.blocker == .override(block))

    // When the block is cleared, the next tick fails over.
    _ = try await harness.engine.clearOverride(id: block.id, by: "alice")
    await harness.round(primary: .unhealthy)
    await harness.engine.waitForWorkflows()
    #expect(await harness.dns.values(of: "api.example.com") == ["192.0.2.20"])
  }

  @Test("Given an override request without a reason, it is refused with a sentence and nothing is stored")
  func invalidOverride() async throws {
    let harness = Harness()
    try await harness.warmUp()
    await #expect(throws: EngineError.self) {
      _ = try await harness.engine.createOverride(
        OverrideRequest(scope: .global, kind: .freeze, actor: "alice", reason: "  "))
    }
    do {
      _ = try await harness.engine.createOverride(
        OverrideRequest(scope: .global, kind: .freeze, actor: "alice", reason: ""))
    } catch {
      #expect(error.kind == .invalid)
      #expect(error.message.contains("reason"))
    }
    #expect(try await harness.store.overrides().isEmpty)
  }

  @Test("Given a freeze of one minute, when the clock passes its expiry, then a tick records the expiry")
  func overrideExpiry() async throws {
    let harness = Harness()
    try await harness.warmUp()
    _ = try await harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "bob", reason: "game day", duration: 60))
    #expect(await harness.engine.snapshot().overrides.count == 1)
    harness.clock.advance(61)
    await harness.engine.tick()
    #expect(await harness.engine.snapshot().overrides.isEmpty)
    #expect(await harness.store.events(of: .overrideExpired).count == 1)
  }

  @Test(
    "Given a manual failover request, the workflow runs at once and a second request meanwhile is refused")
  func manualFailover() async throws {
    let harness = Harness()
    try await harness.warmUp()
    await harness.dns.hold()
    let request = ManualRequest(
      service: EngineFixtures.service, targetRegion: "us-west-2", actor: "carol", reason: "region maintenance"
    )
    let decision = try await harness.engine.requestManualFailover(request)
    #expect(decision.plan?.trigger == .manual)
    let inFlight = await harness.engine.snapshot().service(EngineFixtures.service)?.workflow
    #expect(inFlight?.state == .running)
    do {
      _ = try await harness.engine.requestManualFailover(request)
      Issue.record("A second request while a workflow is in flight must be refused.")
    } catch {
      #expect(error.kind == .conflict)
    }
    await harness.dns.release()
    await harness.engine.waitForWorkflows()
    #expect(await harness.dns.values(of: "api.example.com") == ["192.0.2.20"])
    #expect(await harness.engine.snapshot().service(EngineFixtures.service)?.activeRegion == "us-west-2")

    let unknown = try await harness.engine.requestManualFailover(
      ManualRequest(
        service: EngineFixtures.service, targetRegion: "eu-west-9", actor: "carol", reason: "typo"))
    guard case .rejected = unknown.outcome else {
      Issue.record("An unknown region must be rejected, got \(unknown.outcome).")
      return
    }
  }

  @Test(
    "Given an unfinished workflow in the journal, when the engine starts, then it resumes and finishes it")
  func resumeAtStart() async throws {
    let harness = Harness()
    let config = EngineFixtures.config(primaryURL: Self.primaryURL, secondaryURL: Self.secondaryURL)
    let service = config.services[0]
    let plan = FailoverPlan(
      service: service.id, from: .single(service.id, "us-east-1"), to: .single(service.id, "us-west-2"),
      trigger: .manual, actor: "dave", reason: "before the crash", allowsUnhealthyTarget: true)
    let decision = Decision(
      service: service.id, at: harness.clock.now, outcome: .initiate(plan), explanation: "test")
    let workflow = try #require(WorkflowPlan(id: "wf-crashed", decision: decision, service: service))
    try await harness.store.begin(workflow, events: [])

    try await harness.engine.start(runLoops: false)
    await harness.engine.waitForWorkflows()
    #expect(await harness.store.outcomes["wf-crashed"] == .succeeded)
    #expect(await harness.dns.values(of: "api.example.com") == ["192.0.2.20"])
    #expect(await harness.engine.snapshot().service(service.id)?.activeRegion == "us-west-2")
  }

  @Test("Given two unfinished workflows of one service, when the engine starts, then they resume in order")
  func resumeInOrder() async throws {
    let harness = Harness()
    let service = EngineFixtures.config(primaryURL: Self.primaryURL, secondaryURL: Self.secondaryURL)
      .services[0]
    func workflow(_ id: String, from: RegionID, to: RegionID) throws -> WorkflowPlan {
      let plan = FailoverPlan(
        service: service.id, from: .single(service.id, from), to: .single(service.id, to), trigger: .manual,
        actor: "dave", reason: id, allowsUnhealthyTarget: true)
      let decision = Decision(
        service: service.id, at: harness.clock.now, outcome: .initiate(plan), explanation: id)
      return try #require(WorkflowPlan(id: id, decision: decision, service: service))
    }
    try await harness.store.begin(workflow("wf-1", from: "us-east-1", to: "us-west-2"), events: [])
    try await harness.store.begin(workflow("wf-2", from: "us-west-2", to: "us-east-1"), events: [])

    try await harness.engine.start(runLoops: false)
    await harness.engine.waitForWorkflows()
    #expect(await harness.store.outcomes["wf-1"] == .succeeded)
    #expect(await harness.store.outcomes["wf-2"] == .succeeded)
    #expect(
      await harness.dns.submissions.map { $0.changes[0].record.values } == [["192.0.2.20"], ["192.0.2.10"]])
    let snapshot = await harness.engine.snapshot().service(service.id)
    #expect(snapshot?.activeRegion == "us-east-1")
    #expect(snapshot?.lastWorkflow?.id == "wf-2")
  }

  @Test("Given two failures recorded, when the configuration is reloaded, then the signal keeps its count")
  func reloadKeepsState() async throws {
    let harness = Harness()
    try await harness.warmUp()
    await harness.round(primary: .unhealthy)
    await harness.round(primary: .unhealthy)

    // An unchanged service keeps its model as it is.
    var config = EngineFixtures.config(primaryURL: Self.primaryURL, secondaryURL: Self.secondaryURL)
    config.policy.minimumDwell = 300
    await harness.engine.reload(config)
    var signal = await harness.engine.snapshot().service(EngineFixtures.service)?.regions.first?.signals.first
    #expect(signal?.consecutiveFailures == 2)

    // A changed service (new TTL) rebuilds its unchanged signals from their recent observations.
    config.services[0].ttl = 30
    await harness.engine.reload(config)
    signal = await harness.engine.snapshot().service(EngineFixtures.service)?.regions.first?.signals.first
    #expect(signal?.consecutiveFailures == 2)

    await harness.round(primary: .unhealthy)
    await harness.engine.waitForWorkflows()
    #expect(await harness.dns.values(of: "api.example.com") == ["192.0.2.20"])
  }

  @Test("Given a subscriber, when traffic moves, then it sees health, decision, workflow and routing changes")
  func changeStream() async throws {
    let harness = Harness()
    let stream = await harness.engine.changes()
    try await harness.warmUp()
    for _ in 0..<3 { await harness.round(primary: .unhealthy) }
    await harness.engine.waitForWorkflows()
    await harness.engine.stop()
    var seen: [EngineChange] = []
    for await change in stream { seen.append(change) }
    #expect(seen.contains(.health(service: EngineFixtures.service, region: "us-east-1", status: .unhealthy)))
    #expect(seen.contains(.decision(service: EngineFixtures.service)))
    #expect(seen.contains(.routing(service: EngineFixtures.service)))
    #expect(seen.contains { if case .workflowFinished(_, _, true) = $0 { true } else { false } })
  }
}
