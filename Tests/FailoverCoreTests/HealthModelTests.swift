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
