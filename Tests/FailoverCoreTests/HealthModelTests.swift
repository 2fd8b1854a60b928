import FailoverCore
import Foundation
import Testing

@Suite("HealthModel: composite health per service and region")
struct HealthModelTests {
  typealias F = Fixtures

  func signal(_ name: String) -> SignalKey { SignalKey(service: F.api, region: F.east, name: name) }
  func verdict(_ status: HealthStatus) -> Health { Health(status: status, reason: status.rawValue) }

  @Test("Given rule all, then one unhealthy signal decides, naming it")
  func allRule() {
    let health = HealthModel.compose(
      [(signal("a"), verdict(.healthy)), (signal("b"), verdict(.unhealthy))], rule: .all)
    #expect(health.status == .unhealthy)
    #expect(health.decidedBy == signal("b"))
    #expect(
      HealthModel.compose([(signal("a"), verdict(.healthy)), (signal("b"), verdict(.unknown))], rule: .all)
        .status == .unknown)
    #expect(
      HealthModel.compose([(signal("a"), verdict(.healthy)), (signal("b"), verdict(.degraded))], rule: .all)
        .status == .degraded)
  }

  @Test("Given rule any, then one healthy signal is enough")
  func anyRule() {
    let health = HealthModel.compose(
      [(signal("a"), verdict(.unhealthy)), (signal("b"), verdict(.healthy))], rule: .any)
    #expect(health.status == .healthy)
    #expect(health.decidedBy == signal("b"))
    #expect(HealthModel.compose([(signal("a"), verdict(.unhealthy))], rule: .any).status == .unhealthy)
  }

  @Test("Given quorum 2 of 3, then two healthy is healthy, two unhealthy is unhealthy, otherwise unknown")
  func quorumRule() {
    let keys = ["a", "b", "c"].map(signal)
    func compose(_ statuses: [HealthStatus]) -> HealthStatus {
      HealthModel.compose(Array(zip(keys, statuses.map(verdict))), rule: .quorum(2)).status
    }
    #expect(compose([.healthy, .healthy, .unhealthy]) == .healthy)
    #expect(compose([.healthy, .unhealthy, .unhealthy]) == .unhealthy)
    #expect(compose([.healthy, .unknown, .unhealthy]) == .unknown)
    #expect(compose([.healthy, .degraded, .unhealthy]) == .degraded)
  }

  @Test("Given no signals, then health is unknown")
  func noSignals() {
    #expect(HealthModel.compose([], rule: .all).status == .unknown)
  }

  @Test("Given a regional alarm in ALARM, then every service in that region is unhealthy by that alarm")
  func regionWideSignal() {
    let alarm = SignalSpec.cloudWatchAlarm(AlarmSignalSpec(alarmName: "east-down"))
    let regions = [Region(id: F.east, signals: [alarm]), Region(id: F.west)]
    var model = HealthModel(services: [F.service()], regions: regions)
    let probeKey = SignalKey(service: F.api, region: F.east, name: F.probe(9001).name)
    let alarmKey = SignalKey(service: nil, region: F.east, name: alarm.name)
    #expect(model.signalKeys(service: F.api, region: F.east) == [probeKey, alarmKey])
    for second in 0..<3 {
      model.record(Observation(signal: probeKey, status: .healthy, reason: "ok", at: F.t0 + Double(second)))
    }
    model.record(
      Observation(signal: alarmKey, status: .unhealthy, reason: "Alarm east-down is in ALARM", at: F.t0 + 3))
    let health = model.health(service: F.api, region: F.east, at: F.t0 + 4)
    #expect(health.status == .unhealthy)
    #expect(health.decidedBy == alarmKey)
  }

  @Test(
    "Given probe, alarm and Route53 readings, when composed, then each health sentence names its signal once"
  )
  func reasonsSayEachThingOnce() {
    let alarm = SignalSpec.cloudWatchAlarm(AlarmSignalSpec(alarmName: "east-down"))
    let check = SignalSpec.route53HealthCheck(id: "hc-1")
    let probe = F.probe(9001)
    guard case .httpProbe(let probeSpec) = probe, case .cloudWatchAlarm(let alarmSpec) = alarm else {
      Issue.record("fixture signals changed")
      return
    }
    let probeKey = SignalKey(service: F.api, region: F.east, name: probe.name)
    let alarmKey = SignalKey(service: nil, region: F.east, name: alarm.name)
    let checkKey = SignalKey(service: nil, region: F.east, name: check.name)
    var model = HealthModel(
      services: [F.service()], regions: [Region(id: F.east, signals: [alarm, check]), Region(id: F.west)])
    let answered = HTTPProbeResult.response(status: 200, body: Data(), latency: 0.001)
    for second in 0..<4 {
      model.record(ProbeVerdict.observe(answered, spec: probeSpec, key: probeKey, at: F.t0 + Double(second)))
    }
    let ok = AlarmReading(name: "east-down", state: .ok, reason: "", updatedAt: nil)
    model.record(AlarmVerdict.observe(ok, spec: alarmSpec, key: alarmKey, at: F.t0 + 2))
    let passing = HealthCheckVerdict(healthCheckID: "hc-1", healthyCheckers: 8, totalCheckers: 8, detail: "")
    model.record(AlarmVerdict.observe(passing, key: checkKey, at: F.t0 + 2))
    #expect(
      model.health(service: F.api, region: F.east, at: F.t0 + 4).reason
        == "All 3 signals healthy; e.g. probe http://127.0.0.1:9001/health: answered HTTP 200 in 1 ms")

    let refused = HTTPProbeResult.failure(reason: "connection refused", latency: nil)
    for second in 4..<7 {
      model.record(ProbeVerdict.observe(refused, spec: probeSpec, key: probeKey, at: F.t0 + Double(second)))
    }
    #expect(
      model.health(service: F.api, region: F.east, at: F.t0 + 7).reason
        == "probe http://127.0.0.1:9001/health: connection refused (3 consecutive failures, threshold 3)")

    var single = HealthModel(services: [F.service()], regions: [])
    for second in 0..<4 {
      single.record(ProbeVerdict.observe(answered, spec: probeSpec, key: probeKey, at: F.t0 + Double(second)))
    }
    #expect(
      single.health(service: F.api, region: F.east, at: F.t0 + 4).reason
        == "probe http://127.0.0.1:9001/health: answered HTTP 200 in 1 ms",
      "one signal needs no \"All 1 signals\"")

    var fresh = HealthModel(
      services: [F.service()], regions: [Region(id: F.east, signals: [alarm]), Region(id: F.west)])
    for second in 0..<3 {
      fresh.record(ProbeVerdict.observe(answered, spec: probeSpec, key: probeKey, at: F.t0 + Double(second)))
    }
    let firing = AlarmReading(
      name: "east-down", state: .alarm, reason: "Threshold Crossed: 1 datapoint [1.0] was less than 1.0",
      updatedAt: nil)
    fresh.record(AlarmVerdict.observe(firing, spec: alarmSpec, key: alarmKey, at: F.t0))
    #expect(
      fresh.health(service: F.api, region: F.east, at: F.t0 + 1).reason
        == "alarm east-down: in ALARM; CloudWatch says: Threshold Crossed: 1 datapoint [1.0] was less than 1.0 "
        + "(1 consecutive failures, threshold 1)")
    fresh.record(AlarmVerdict.observe(nil, spec: alarmSpec, key: alarmKey, at: F.t0 + 2))
    #expect(
      fresh.health(service: F.api, region: F.east, at: F.t0 + 3).reason
        == "alarm east-down: does not exist in CloudWatch.")
  }

  @Test("Given a composite that stays healthy, then its since is when it became healthy")
  func sinceCarriesOver() {
    var model = HealthModel(services: [F.service()], regions: [])
    let key = SignalKey(service: F.api, region: F.west, name: F.probe(9002).name)
    for second in 0..<3 {
      model.record(Observation(signal: key, status: .healthy, reason: "ok", at: F.t0 + Double(second)))
    }
    #expect(model.health(service: F.api, region: F.west, at: F.t0 + 3).since == F.t0 + 3)
    model.record(Observation(signal: key, status: .healthy, reason: "ok", at: F.t0 + 4))
    #expect(model.health(service: F.api, region: F.west, at: F.t0 + 5).since == F.t0 + 3)
    #expect(model.health(service: F.api, at: F.t0 + 6)[F.east]?.status == .unknown)
  }

  @Test("Given 4 probes every 10 s, then the schedule spreads them over the interval deterministically")
  func probeSchedule() {
    let keys = (0..<4).map { SignalKey(service: F.api, region: F.east, name: "p\($0)") }
    let schedule = ProbeSchedule(keys.map { ($0, 10) })
    let again = ProbeSchedule(keys.reversed().map { ($0, 10) })
    #expect(schedule.offsets == again.offsets)
    let offsets = keys.map { schedule.offsets[$0]! }
    for (index, offset) in offsets.enumerated() {
      #expect(offset >= Double(index) * 2.5 && offset < Double(index) * 2.5 + 0.625)
    }
    #expect(schedule.nextDue(keys[0], after: F.t0) == F.t0 + 10)
  }
}
