import FailoverCore
import Foundation
import Testing

@Suite("ProbeVerdict and AlarmVerdict: reading results as Route53 would")
struct ProbeVerdictTests {
  let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")
  let spec = HTTPProbeSpec(url: "http://127.0.0.1:9001/health", interval: 1)

  func observe(_ status: Int, _ body: String, latency: Double = 0.05, spec: HTTPProbeSpec? = nil)
    -> Observation
  {
    ProbeVerdict.observe(
      .response(status: status, body: Data(body.utf8), latency: latency), spec: spec ?? self.spec, key: key,
      at: Fixtures.t0)
  }

  @Test("Given 2xx and 3xx answers, then they are healthy; 5xx is unhealthy with the status in words")
  func statusClasses() {
    #expect(observe(200, "").status == .healthy)
    #expect(observe(302, "").status == .healthy)
    let failed = observe(503, "")
    #expect(failed.status == .unhealthy)
    #expect(failed.reason.contains("HTTP 503"))
  }

  @Test("Given a configured status list, then only those statuses are healthy")
  func configuredStatuses() {
    let strict = HTTPProbeSpec(url: spec.url, expectedStatuses: [204])
    #expect(observe(200, "", spec: strict).status == .unhealthy)
    #expect(observe(204, "", spec: strict).status == .healthy)
  }

  @Test("Given a body match, then it is searched in the first 5,120 bytes only")
  func bodyMatch() {
    let matching = HTTPProbeSpec(url: spec.url, bodyMatch: "READY")
    #expect(observe(200, "status READY", spec: matching).status == .healthy)
    #expect(observe(200, String(repeating: "x", count: 5120) + "READY", spec: matching).status == .unhealthy)
  }

  @Test("Given a seed health body reporting unhealthy with 200, then the probe is unhealthy")
  func seedBodies() {
    #expect(observe(200, #"{"status":"healthy","region":"us-east-1"}"#).status == .healthy)
    let sick = observe(200, #"{"status": "unhealthy", "region": "us-east-1"}"#)
    #expect(sick.status == .unhealthy)
    #expect(sick.reason.contains("reports itself unhealthy"))
  }

  @Test("Given a response over the latency budget, then it is degraded")
  func latencyBudget() {
    let budget = HTTPProbeSpec(url: spec.url, latencyBudget: 0.2)
    let slow = observe(200, "", latency: 0.35, spec: budget)
    #expect(slow.status == .degraded)
    #expect(slow.reason.contains("350 ms"))
  }

  @Test("Given a connection failure, then the probe is unhealthy with the reason")
  func transportFailure() {
    let failed = ProbeVerdict.observe(
      .failure(reason: "connection refused", latency: nil), spec: spec, key: key, at: Fixtures.t0)
    #expect(failed.status == .unhealthy)
    #expect(
      failed.reason == "connection refused",
      "the signal's name carries the URL; the reason does not repeat it")
  }

  @Test("Given alarm states, then ALARM is unhealthy, OK healthy, insufficient data as configured")
  func alarms() {
    let alarmKey = SignalKey(service: nil, region: "us-east-1", name: "alarm a")
    func reading(_ state: AlarmState) -> AlarmReading {
      AlarmReading(name: "a", state: state, reason: "threshold crossed", updatedAt: nil)
    }
    let unhealthyMeaning = AlarmSignalSpec(alarmName: "a", insufficientDataMeans: .unhealthy)
    #expect(
      AlarmVerdict.observe(reading(.alarm), spec: unhealthyMeaning, key: alarmKey, at: Fixtures.t0).status
        == .unhealthy)
    #expect(
      AlarmVerdict.observe(reading(.ok), spec: unhealthyMeaning, key: alarmKey, at: Fixtures.t0).status
        == .healthy)
    #expect(
      AlarmVerdict.observe(reading(.insufficientData), spec: unhealthyMeaning, key: alarmKey, at: Fixtures.t0)
        .status
        == .unhealthy)
    let lastKnown = AlarmVerdict.observe(
      reading(.insufficientData), spec: AlarmSignalSpec(alarmName: "a"), key: alarmKey, at: Fixtures.t0)
    #expect(lastKnown.status == .unknown && lastKnown.keepsLastVerdict)
    #expect(
      AlarmVerdict.observe(nil, spec: unhealthyMeaning, key: alarmKey, at: Fixtures.t0).status == .unknown)
  }

  @Test("Given a Route53 health check verdict, then more than 18% healthy checkers is healthy")
  func route53Verdict() {
    let r53 = SignalKey(service: "api.example.com", region: "us-east-1", name: "route53 health check hc-1")
    let ok = HealthCheckVerdict(healthCheckID: "hc-1", healthyCheckers: 2, totalCheckers: 8, detail: "")
    let bad = HealthCheckVerdict(
      healthCheckID: "hc-1", healthyCheckers: 1, totalCheckers: 8, detail: "timeout")
    #expect(AlarmVerdict.observe(ok, key: r53, at: Fixtures.t0).status == .healthy)
    #expect(AlarmVerdict.observe(bad, key: r53, at: Fixtures.t0).status == .unhealthy)
  }
}
