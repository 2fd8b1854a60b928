import FailoverCore
import Foundation
import Switchboard
import Testing

/// The engine with real probes against two sample regions in-process (DNS and store are in-memory port fakes).
@Suite("Engine with real probes")
struct EngineProbeTests {
  @Test(
    "Given two sample regions, when the primary simulates a failure, then the engine fails over to the secondary"
  )
  func failoverOnRealProbes() async throws {
    let (_, primaryServer, primaryBase) = try Loopback.sampleRegion("us-east-1")
    let (_, secondaryServer, secondaryBase) = try Loopback.sampleRegion("us-west-2")
    defer {
      Task {
        await primaryServer.shutdown()
        await secondaryServer.shutdown()
      }
    }
    let config = EngineFixtures.config(
      primaryURL: "\(primaryBase)/health", secondaryURL: "\(secondaryBase)/health", failureThreshold: 2)
    let store = MemoryStore()
    let dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    let engine = Engine(
      config: config,
      ports: EngineFixtures.ports(
        store: store, dns: dns, notifier: EngineFakeNotifier(), sleeper: TaskSleeper()),
      settings: EngineSettings(tickInterval: 0.2))
    try await engine.start()

    let healthy = await eventually(timeout: 30) {
      await engine.snapshot().service(EngineFixtures.service)?.regions.allSatisfy {
        $0.health.status == .healthy
      }
        == true
    }
    #expect(healthy, "both regions should turn healthy after two successful probes each")

    let flip = try await Loopback.request("POST", "\(primaryBase)/simulate-failure")
    #expect(flip.status == 200)
    let movedOver = await eventually(timeout: 30) {
      await engine.snapshot().service(EngineFixtures.service)?.lastWorkflow?.state == .succeeded
    }
    #expect(movedOver, "the engine should fail over within a few probe intervals")
    let snapshot = await engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.activeRegion == "us-west-2")
    #expect(snapshot?.regions.first?.signals.first?.lastObservation?.reason.contains("HTTP 503") == true)
    #expect(await dns.values(of: "api.example.com") == ["192.0.2.20"])
    let timings = snapshot?.lastWorkflow?.timings ?? [:]
    #expect((timings["decided"] ?? -1) >= 0)
    await engine.stop()
  }

  @Test("Given https:// signals, the engine probes them over TLS and finds them healthy")
  func httpsSignal() async throws {
    let (server, https, _, folder) = try TLSTarget.start()
    defer {
      Task { await server.shutdown() }
      try? FileManager.default.removeItem(at: folder)
    }
    let config = EngineFixtures.config(primaryURL: "\(https)/health", secondaryURL: "\(https)/health")
    let engine = Engine(
      config: config,
      ports: EngineFixtures.ports(
        store: MemoryStore(), dns: EngineFakeDNS(), notifier: EngineFakeNotifier(), sleeper: TaskSleeper()),
      settings: EngineSettings(tickInterval: 0.2))
    try await engine.start()
    let healthy = await eventually(timeout: 20) {
      let signal = await engine.snapshot().service(EngineFixtures.service)?.regions.first?.signals.first
      return signal?.lastObservation?.status == .healthy
    }
    #expect(healthy)
    await engine.stop()
  }
}
