import AWS
import FailoverCore
import Foundation
import Switchboard
import Synchronization
import TestPeers
import Testing

/// The engine's alarm poll against moto_server through the real CloudWatch client: every alarm in as few
/// `DescribeAlarms` calls as the API allows (100 names a call), counted by the client's call observer.
@Suite("Engine alarm polling against moto_server", .serialized)
struct EngineAlarmPollingTests {
  /// Keeps the operations the client reports.
  final class Recorder: AWSCallObserver {
    let calls = Mutex<[AWSCallRecord]>([])
    func callCompleted(_ call: AWSCallRecord) { calls.withLock { $0.append(call) } }
    func count(_ operation: String) -> Int {
      calls.withLock { $0.filter { $0.operation == operation }.count }
    }
  }

  @Test(
    "Given 120 alarm signals (one shared by both regions), when the engine polls, then two DescribeAlarms calls read them all"
  )
  func everyAlarmInTwoCalls() async throws {
    let moto = MotoServer()
    let users = try await moto.fresh()
    let url = await moto.url
    let tester = CloudWatchClient(
      endpoint: url, region: "us-east-1", credentials: StaticCredentialProvider(users.tester),
      retry: AWS.RetryPolicy(maxAttempts: 1))
    let names = (0..<120).map { String(format: "east-%03d", $0) }
    for name in names {
      try await tester.putMetricAlarm(MetricAlarm.healthCheckStatus(name: name, healthCheckID: "hc-\(name)"))
    }
    var config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    config.regions[0].signals = names.map { .cloudWatchAlarm(AlarmSignalSpec(alarmName: $0)) }
    config.regions[1].signals = [.cloudWatchAlarm(AlarmSignalSpec(alarmName: names[0]))]
    let recorder = Recorder()
    let cloudWatch = CloudWatchClient(
      endpoint: url, region: "us-east-1", credentials: StaticCredentialProvider(users.switchboard),
      retry: AWS.RetryPolicy(maxAttempts: 1), observer: recorder)
    let clock = EngineManualClock()
    let ports = EnginePorts(
      store: MemoryStore(), dns: EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]),
      metrics: EngineFakeMetrics(), notifier: EngineFakeNotifier(), alarms: cloudWatch,
      sleeper: InstantSleeper(), jitter: FixedJitterSource())
    let engine = Engine(
      config: config, ports: ports, clock: clock, settings: EngineSettings(runsProbes: false))
    try await engine.start(runLoops: false)

    await engine.pollAlarms()
    await engine.tick()
    #expect(recorder.count("DescribeAlarms") == 2)
    var east = await engine.snapshot().service(EngineFixtures.service)?.regions.first
    #expect(east?.signals.count == 121)
    #expect(
      east?.signals.filter { $0.key.name.hasPrefix("alarm ") }.allSatisfy { $0.verdict.status == .healthy }
        == true)

    try await tester.setAlarmState(name: "east-117", state: .alarm, reason: "drill")
    clock.advance(10)
    await engine.pollAlarms()
    await engine.tick()
    #expect(recorder.count("DescribeAlarms") == 4)
    east = await engine.snapshot().service(EngineFixtures.service)?.regions.first
    #expect(east?.health.status == .unhealthy)
    #expect(
      east?.health.reason
        == "alarm east-117: in ALARM; CloudWatch says: drill (1 consecutive failures, threshold 1)")
  }
}
