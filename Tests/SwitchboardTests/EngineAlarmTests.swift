import FailoverCore
import Foundation
import Switchboard
import Testing

/// Alarm and Route53 health-check signals, polled through their ports.
@Suite("Engine alarm polling")
struct EngineAlarmTests {
  @Test(
    "Given a regional alarm and a Route53 check, when the alarm fires, then the next poll and tick fail over")
  func alarmFailover() async throws {
    var config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    config.regions[0].signals = [.cloudWatchAlarm(AlarmSignalSpec(alarmName: "east-5xx"))]
    config.regions[1].signals = [.route53HealthCheck(id: "hc-west")]
    let clock = EngineManualClock()
    let store = MemoryStore()
    let dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    let alarms = EngineFakeAlarms()
    let checks = EngineFakeHealthChecks()
    await alarms.set("east-5xx", .ok)
    await checks.set("hc-west", healthyCheckers: 16)
    let ports = EnginePorts(
      store: store, dns: dns, metrics: EngineFakeMetrics(), notifier: EngineFakeNotifier(), alarms: alarms,
      healthChecks: checks, sleeper: InstantSleeper(), jitter: FixedJitterSource())
    let engine = Engine(
      config: config, ports: ports, clock: clock, settings: EngineSettings(runsProbes: false))
    try await engine.start(runLoops: false)

    func round() async {
      await engine.submit(
        Observation(signal: EngineTests.primary, status: .healthy, reason: "ok", at: clock.now))
      await engine.submit(
        Observation(signal: EngineTests.secondary, status: .healthy, reason: "ok", at: clock.now))
      await engine.pollAlarms()
      await engine.tick()
      clock.advance(1)
    }
    for _ in 0..<3 { await round() }
    var snapshot = await engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.regions.map(\.health.status) == [.healthy, .healthy])
    #expect(
      snapshot?.regions[1].signals.map(\.key.name) == [
        "probe \(EngineTests.secondaryURL)", "route53 health check hc-west",
      ])

    await alarms.set("east-5xx", .alarm)
    await round()
    await engine.waitForWorkflows()
    snapshot = await engine.snapshot().service(EngineFixtures.service)
    #expect(snapshot?.regions[0].health.reason.contains("east-5xx") == true)
    #expect(snapshot?.activeRegion == "us-west-2")
    #expect(await dns.values(of: "api.example.com") == ["192.0.2.20"])
  }

  @Test(
    "Given an alarm signal and no alarm source, the signal says it is not polled and the region is unknown")
  func unpolledAlarm() async throws {
    var config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    config.regions[0].signals = [.cloudWatchAlarm(AlarmSignalSpec(alarmName: "east-5xx"))]
    let harness = EngineTests.Harness(config: config)
    try await harness.warmUp()
    let region = await harness.engine.snapshot().service(EngineFixtures.service)?.regions.first
    #expect(region?.health.status == .unknown)
    #expect(
      region?.signals.last?.lastObservation?.reason.contains("not polled: no alarm source is configured")
        == true)
  }
}
