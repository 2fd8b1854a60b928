import FailoverCore
import Foundation
import Switchboard
import Synchronization
import Testing

/// The engine drives whatever `Prober` its ports carry: targets in, observations out.
@Suite("Engine and the Prober port")
struct EngineProberPortTests {
  /// Records what the engine asks and keeps the observation callback for the test to call.
  final class RecordingProber: Prober {
    let started = Mutex<[ProbeTarget]?>(nil)
    let stops = Atomic<Int>(0)
    let observe = Mutex<(@Sendable (Observation) -> Void)?>(nil)

    func start(_ targets: [ProbeTarget], observe: @escaping @Sendable (Observation) -> Void) {
      started.withLock { $0 = targets }
      self.observe.withLock { $0 = observe }
    }
    func update(_ targets: [ProbeTarget]) { started.withLock { $0 = targets } }
    func stop() { stops.add(1, ordering: .relaxed) }
  }

  @Test(
    "Given an engine with a prober port, when it starts, then it hands over every probe signal, turns the observations into health and stops the prober on stop"
  )
  func drivesThePort() async throws {
    let clock = EngineManualClock()
    let prober = RecordingProber()
    var ports = EngineFixtures.ports(
      store: MemoryStore(), dns: EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]),
      notifier: EngineFakeNotifier(), sleeper: InstantSleeper())
    ports.prober = prober
    let engine = Engine(
      config: EngineFixtures.config(
        primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL, failureThreshold: 1),
      ports: ports, clock: clock, settings: EngineSettings(alarmPollInterval: nil))
    try await engine.start(runLoops: false)

    let targets = try #require(prober.started.withLock { $0 })
    #expect(Set(targets.map(\.key)) == [EngineTests.primary, EngineTests.secondary])
    #expect(targets.first { $0.key == EngineTests.primary }?.spec.url == EngineTests.primaryURL)

    let observe = try #require(prober.observe.withLock { $0 })
    for _ in 0..<3 {
      observe(Observation(signal: EngineTests.primary, status: .healthy, reason: "200", at: clock.now))
      observe(Observation(signal: EngineTests.secondary, status: .healthy, reason: "200", at: clock.now))
      await engine.tick()
      clock.advance(1)
    }
    let regions = await engine.snapshot().service(EngineFixtures.service)?.regions ?? []
    #expect(regions.count == 2 && regions.allSatisfy { $0.health.status == .healthy })

    await engine.stop()
    #expect(prober.stops.load(ordering: .relaxed) == 1)
  }
}
