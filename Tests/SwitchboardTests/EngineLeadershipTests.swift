import Configuration
import FailoverCore
import Foundation
import Switchboard
import Synchronization
import Testing

/// Leadership the test hands out and takes back; `confirm` follows `leads` unless `confirms` says otherwise.
final class FakeLeadership: Leadership {
  private let state = Mutex((leads: false, confirms: true, degraded: false, leader: LeaderRecord?.none))
  init(leads: Bool, leader: LeaderRecord? = nil) { state.withLock { $0 = (leads, true, false, leader) } }
  func set(leads: Bool, confirms: Bool = true) {
    state.withLock {
      $0.leads = leads
      $0.confirms = confirms
    }
  }
  func cutOff() { state.withLock { $0 = (false, false, true, nil) } }
  func isLeader() -> Bool { state.withLock { $0.leads } }
  func confirm() async throws {
    guard state.withLock({ $0.leads && $0.confirms }) else { throw LeadershipLost("taken back by the test") }
  }
  func status() -> LeadershipStatus {
    state.withLock {
      LeadershipStatus(
        role: $0.leads ? .leader : $0.degraded ? .degraded : .follower, leader: $0.leader,
        detail: "set by the test")
    }
  }
  func members() async throws -> [ClusterMember] { [] }
}

@Suite("Engine in a cluster: only the leader decides")
struct EngineLeadershipTests {
  /// Two engines over one shared store, each with its own leadership, DNS and notifier fakes.
  struct Node {
    let leadership: FakeLeadership
    let dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    let notifier = EngineFakeNotifier()
    let engine: Engine

    init(store: MemoryStore, clock: EngineManualClock, leads: Bool) {
      leadership = FakeLeadership(leads: leads)
      var ports = EngineFixtures.ports(store: store, dns: dns, notifier: notifier, sleeper: InstantSleeper())
      ports.leadership = leadership
      engine = Engine(
        config: EngineFixtures.config(
          primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL),
        ports: ports, clock: clock, settings: EngineSettings(runsProbes: false))
    }

    func round(_ clock: EngineManualClock, primary: HealthStatus) async {
      await engine.submit(
        Observation(signal: EngineTests.primary, status: primary, reason: "\(primary)", at: clock.now))
      await engine.submit(
        Observation(signal: EngineTests.secondary, status: .healthy, reason: "healthy", at: clock.now))
      await engine.tick()
    }
  }

  static func rounds(_ nodes: [Node], _ clock: EngineManualClock, primary: HealthStatus, count: Int) async {
    for _ in 0..<count {
      for node in nodes { await node.round(clock, primary: primary) }
      clock.advance(1)
    }
  }

  @Test("Given a follower, when the primary fails, then it decides nothing; once it leads, it fails over")
  func followerDecidesNothing() async throws {
    let (store, clock) = (MemoryStore(), EngineManualClock())
    let node = Node(store: store, clock: clock, leads: false)
    try await node.engine.start(runLoops: false)
    await Self.rounds([node], clock, primary: .healthy, count: 3)
    await Self.rounds([node], clock, primary: .unhealthy, count: 4)
    await node.engine.waitForWorkflows()
    #expect(await node.dns.submissions.isEmpty)
    #expect(await store.events(of: .decisionInitiated).isEmpty)
    let snapshot = await node.engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.regions.first?.health.status == .unhealthy)  // followers still judge health
    await #expect(throws: EngineError.self) {
      _ = try await node.engine.requestManualFailover(
        ManualRequest(service: EngineFixtures.service, targetRegion: "us-west-2", actor: "t", reason: "r"))
    }

    node.leadership.set(leads: true)
    await Self.rounds([node], clock, primary: .unhealthy, count: 1)
    await node.engine.waitForWorkflows()
    #expect(await node.dns.values(of: "api.example.com") == ["192.0.2.20"])
  }

  /// A leader and a follower on one store, started and probed healthy; then the leader alone sees the primary
  /// fail, and its failover has finished.
  static func pairAfterFailover() async throws -> (leader: Node, follower: Node, clock: EngineManualClock) {
    let (store, clock) = (MemoryStore(), EngineManualClock())
    let leader = Node(store: store, clock: clock, leads: true)
    let follower = Node(store: store, clock: clock, leads: false)
    try await leader.engine.start(runLoops: false)
    try await follower.engine.start(runLoops: false)
    await Self.rounds([leader, follower], clock, primary: .healthy, count: 3)
    await Self.rounds([leader], clock, primary: .unhealthy, count: 3)
    await leader.engine.waitForWorkflows()
    return (leader, follower, clock)
  }

  @Test(
    "Given a leader and a follower, then the follower shows the leader's routing and the leader its overrides"
  )
  func followerMirrorsLeader() async throws {
    let (leader, follower, _) = try await Self.pairAfterFailover()
    await follower.engine.tick()
    #expect(await follower.engine.snapshot().service(EngineFixtures.service)?.activeRegion == "us-west-2")
    #expect(await follower.dns.submissions.isEmpty)

    let created = try await follower.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "ops", reason: "maintenance"))
    await leader.engine.tick()
    #expect(await leader.engine.snapshot().overrides.map(\.id) == [created.id])
  }

  @Test(
    "Given a follower that read routing, when the leader moves traffic, then it shows it within 5 s of ticks")
  func followerRereadsRouting() async throws {
    let (_, follower, clock) = try await Self.pairAfterFailover()
    for _ in 0..<6 {
      await follower.round(clock, primary: .unhealthy)
      clock.advance(1)
    }
    #expect(await follower.engine.snapshot().service(EngineFixtures.service)?.activeRegion == "us-west-2")
    #expect(await follower.dns.submissions.isEmpty)
  }

  @Test(
    "Given a leader that loses leadership before its DNS step, then it sends nothing; the new leader does once"
  )
  func deposedLeaderSendsNothingNewLeaderResumes() async throws {
    let (store, clock) = (MemoryStore(), EngineManualClock())
    let old = Node(store: store, clock: clock, leads: true)
    let new = Node(store: store, clock: clock, leads: false)
    try await old.engine.start(runLoops: false)
    try await new.engine.start(runLoops: false)
    await Self.rounds([old, new], clock, primary: .healthy, count: 3)
    // The old leader still believes it leads at the tick, but the store no longer confirms it.
    old.leadership.set(leads: true, confirms: false)
    await Self.rounds([old], clock, primary: .unhealthy, count: 3)
    // Its next tick finds it no longer leads: it stops the workflow, which waits in the journal.
    old.leadership.set(leads: false)
    await old.engine.tick()
    await old.engine.waitForWorkflows()
    #expect(await old.dns.submissions.isEmpty)
    #expect(await old.notifier.delivered.isEmpty)
    #expect(try await store.unfinishedWorkflows().count == 1)

    new.leadership.set(leads: true)
    await Self.rounds([old, new], clock, primary: .unhealthy, count: 1)
    await new.engine.waitForWorkflows()
    #expect(await new.dns.submissions.count == 1)
    #expect(await old.dns.submissions.isEmpty)
    #expect(try await store.unfinishedWorkflows().isEmpty)
    #expect(await store.events(of: .workflowSucceeded).count == 1)
  }
}
