import FailoverCore
import Foundation
import Switchboard
import Testing

/// Explain and what-if: why a service is where it is, and a dry-run move that changes nothing.
@Suite("API explain and what-if")
struct ExplainAPITests {
  @Test(
    "Given healthy regions, when asked what moving to us-west-2 would do, then the plan, DNS change and time are exact"
  )
  func whatIfHealthy() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let plan = try await api.send(
      .GET, "/api/v1/services/api.example.com/what-if?target_region=us-west-2", token: APIHarness.viewer)
    #expect(plan.status == 200, "\(plan.text)")
    #expect(plan.json["would_proceed"] as? Bool == true)
    #expect(plan.json["blocked_by"] as? [String] == [])
    let change = (plan.json["dns_changes"] as? [[String: Any]])?.first ?? [:]
    #expect(change["action"] as? String == "UPSERT")
    #expect(change["name"] as? String == "api.example.com")
    #expect(change["values"] as? [String] == ["192.0.2.20"])
    #expect(change["ttl"] as? Int == 60)
    let predicted = (plan.json["predicted_seconds"] as? [String: Double]) ?? [:]
    // 1 s interval × 3 failures + 60 s propagation + 60 s TTL.
    #expect(predicted == ["detection": 3, "propagation": 60, "ttl": 60, "total": 123])
    #expect(await api.dns.submissions.isEmpty)
    #expect(try await api.store.lastEventSeq() == 0)
  }

  @Test("Given an unhealthy target just after a move, then what-if lists every rule that would refuse")
  func whatIfListsEveryBlocker() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    _ = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover",
      json: #"{"target_region":"us-west-2","reason":"drill"}"#)
    await api.settle()
    for _ in 0..<3 { await api.round(primary: .unhealthy) }
    let plan = try await api.send(.GET, "/api/v1/services/api.example.com/what-if?target_region=us-east-1")
    #expect(plan.json["would_proceed"] as? Bool == false)
    #expect(
      plan.json["blocked_by"] as? [String] == ["rule:neverRouteToUnhealthyTarget", "rule:minimumDwell"])
    let bad = try await api.send(
      .GET, "/api/v1/services/api.example.com/what-if?target_region=us-east-1&override_rules=nope")
    #expect(bad.status == 400)
    let missing = try await api.send(.GET, "/api/v1/services/api.example.com/what-if")
    #expect(missing.status == 400)
  }

  @Test("Given a block override and a failing primary, then explain says automation is blocked and by what")
  func explainBlocked() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let created = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"service:api.example.com","kind":"block","reason":"deploy"}"#)
    let id = try #require(created.json["id"] as? String)
    for _ in 0..<3 { await api.round(primary: .unhealthy) }
    let explained = try await api.send(
      .GET, "/api/v1/services/api.example.com/explain", token: APIHarness.viewer)
    #expect(explained.status == 200)
    let automation = (explained.json["automation"] as? [String: Any]) ?? [:]
    #expect(automation["outcome"] as? String == "blocked")
    #expect(automation["blocked_by"] as? String == "override:\(id)")
    #expect(explained.json["active_region"] as? String == "us-east-1")
    #expect((explained.json["summary"] as? String)?.contains("Overrides in force") == true)
  }

  @Test(
    "Given alarm and Route53 health-check signals, when what-if predicts detection, then it is the configured poll interval, not a fixed 60 s"
  )
  func predictedDetectionOfPolledSignals() {
    let service = Service(
      id: "api.example.com", dnsName: "api.example.com", hostedZone: "example.com", ttl: 60,
      regions: [
        ServiceRegion(
          region: "us-east-1", target: "192.0.2.10",
          signals: [
            .httpProbe(HTTPProbeSpec(url: "http://127.0.0.1:9001/health", interval: 1, failureThreshold: 3)),
            .cloudWatchAlarm(AlarmSignalSpec(alarmName: "east-5xx")),
          ]),
        ServiceRegion(region: "us-west-2", target: "192.0.2.20"),
      ])
    let regions = [
      Region(id: "us-east-1", signals: [.route53HealthCheck(id: "hc-east")]),
      Region(id: "us-west-2", signals: [.cloudWatchAlarm(AlarmSignalSpec(alarmName: "west-only"))]),
    ]
    let every10s = PredictedTime(
      service: service, leaving: "us-east-1", regions: regions, alarmPollInterval: 10)
    #expect(every10s.detection == 10)
    #expect(every10s.total == 10 + 60 + 60)
    let every30s = PredictedTime(
      service: service, leaving: "us-east-1", regions: regions, alarmPollInterval: 30)
    #expect(every30s.detection == 30)
    let onlyRegionWide = PredictedTime(
      service: Service(
        id: "web", dnsName: "web.example.com", hostedZone: "example.com",
        regions: [ServiceRegion(region: "us-east-1", target: "192.0.2.10")]),
      leaving: "us-east-1", regions: regions, alarmPollInterval: 7)
    #expect(onlyRegionWide.detection == 7, "the region's own signals count for what leaves it")
  }
}
