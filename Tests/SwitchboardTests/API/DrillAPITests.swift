import FailoverCore
import Foundation
import StatusPages
import Switchboard
import Testing

/// Drills through the API and the application's engine (real store and workflow, in-memory DNS, manual clock).
@Suite("API drills")
struct DrillAPITests {
  /// 2027-01-15T10:00:00+01:00, one hour after the harness clock's start (08:00Z).
  static let live =
    #"{"subject":"service:api.example.com","target_region":"us-west-2","mode":"live","hold_seconds":600,"#
    + #""objective_seconds":120,"start_at":"2027-01-15T10:00:00+01:00","reason":"quarterly practice"}"#

  func runs(_ api: APIHarness, _ drill: String) async throws -> [[String: Any]] {
    (try await api.send(.GET, "/api/v1/drills/\(drill)/runs").json["runs"] as? [[String: Any]]) ?? []
  }

  @Test(
    "Given an operator, when they schedule a drill, then it shows its next occurrence, is audited and idempotent"
  )
  func create() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let headers = [("Idempotency-Key", "drill-1")]
    let created = try await api.send(
      .POST, "/api/v1/drills", token: APIHarness.operatorToken, json: Self.live, headers: headers)
    #expect(created.status == 201, "\(created.text)")
    let id = try #require(created.json["id"] as? String)
    #expect(created.header("Location") == "/api/v1/drills/\(id)")
    #expect(created.json["state"] as? String == "scheduled")
    let next = (created.json["next_occurrences"] as? [[String: Any]]) ?? []
    #expect(next.map { $0["at"] as? String } == ["2027-01-15T09:00:00.000Z"])
    let replay = try await api.send(
      .POST, "/api/v1/drills", token: APIHarness.operatorToken, json: Self.live, headers: headers)
    #expect(replay.body == created.body)
    #expect(replay.header("Idempotent-Replayed") == "true")
    let listed = try await api.send(.GET, "/api/v1/drills", token: APIHarness.viewer)
    #expect((listed.json["drills"] as? [[String: Any]])?.count == 1)
    let events = try await api.send(.GET, "/api/v1/events?kind=drill.created")
    let audited = (events.json["events"] as? [[String: Any]]) ?? []
    #expect(audited.map { $0["actor"] as? String } == ["grace"])
    #expect((audited.first?["message"] as? String)?.contains("quarterly practice") == true)
    let viewer = try await api.send(.POST, "/api/v1/drills", token: APIHarness.viewer, json: Self.live)
    #expect(viewer.status == 403)
  }

  @Test(
    "Given a start time without an offset, when a drill is created, then 422 says why; a bad cron names its field"
  )
  func refusals() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let noOffset = Self.live.replacingOccurrences(
      of: "2027-01-15T10:00:00+01:00", with: "2027-01-15T10:00:00")
    let refused = try await api.send(.POST, "/api/v1/drills", json: noOffset)
    #expect(refused.status == 422)
    #expect((refused.json["detail"] as? String)?.contains("explicit offset") == true)
    let badCron =
      #"{"subject":"service:api.example.com","target_region":"us-west-2","cron":"0 25 * * *","#
      + #""time_zone":"Europe/Berlin","reason":"x"}"#
    let cron = try await api.send(.POST, "/api/v1/drills", json: badCron)
    #expect(cron.status == 422)
    #expect((cron.json["detail"] as? String)?.contains("hour") == true)
    let both = try await api.send(
      .POST, "/api/v1/drills",
      json: Self.live.replacingOccurrences(of: #""reason""#, with: #""cron":"0 10 * * *","reason""#))
    #expect(both.status == 400)
    #expect(try await api.send(.POST, "/api/v1/drills", json: Self.live).status == 201)
    let overlap = try await api.send(.POST, "/api/v1/drills", json: Self.live)
    #expect(overlap.status == 422)
    #expect((overlap.json["detail"] as? String)?.contains("overlap") == true)
  }

  @Test("Given a cron in Europe/Berlin, when previewed, then five occurrences come in UTC and local time")
  func preview() async throws {
    let api = try APIHarness()
    let result = try await api.send(
      .GET, "/api/v1/drills/preview?cron=0%2010%20*%20*%20TUE&time_zone=Europe/Berlin",
      token: APIHarness.viewer)
    #expect(result.status == 200, "\(result.text)")
    let occurrences = (result.json["occurrences"] as? [[String: Any]]) ?? []
    #expect(occurrences.count == 5)
    #expect(occurrences.first?["at"] as? String == "2027-01-19T09:00:00.000Z")
    #expect(occurrences.first?["local"] as? String == "2027-01-19T10:00:00+01:00")
  }

  @Test(
    "Given a live drill, when it runs, then the record moves, holds, moves back, and the report agrees with the journal"
  )
  func liveRun() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let created = try await api.send(.POST, "/api/v1/drills", json: Self.live)
    let id = try #require(created.json["id"] as? String)
    api.clock.advance(3600 - 3)
    try await api.application.drills.tick()
    await api.settle()
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.20"])
    try await api.application.drills.tick()
    var run = try #require(try await runs(api, id).first)
    #expect(run["phase"] as? String == "holding")
    api.clock.advance(600)
    try await api.application.drills.tick()
    await api.settle()
    try await api.application.drills.tick()
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"])
    run = try #require(try await runs(api, id).first)
    #expect(run["state"] as? String == "succeeded", "\(run)")
    let report = try await api.send(.GET, "/api/v1/drill-runs/\(run["id"] as? String ?? "")")
    #expect(report.header("Content-Disposition")?.contains("drill-run-") == true)
    let move = try #require((report.json["moves"] as? [[String: Any]])?.first)
    let failover = try #require(move["failover"] as? [String: Any])
    let workflow = try await api.send(.GET, "/api/v1/workflows/\(failover["workflow_id"] as? String ?? "")")
    #expect(workflow.json["state"] as? String == "succeeded")
    #expect(failover["finished_at"] as? String == workflow.json["finished_at"] as? String)
    #expect(report.json["objective_met"] as? Bool == true)
    #expect((move["failback"] as? [String: Any])?["outcome"] as? String == "succeeded")
    #expect(try await api.send(.GET, "/api/v1/drills/\(id)").json["state"] as? String == "succeeded")
  }

  @Test(
    "Given a drill in its hold, when an operator aborts it, then traffic moves back at once and the run says who"
  )
  func abort() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let id = try #require(try await api.send(.POST, "/api/v1/drills", json: Self.live).json["id"] as? String)
    api.clock.advance(3600 - 3)
    try await api.application.drills.tick()
    await api.settle()
    try await api.application.drills.tick()
    let aborted = try await api.send(
      .POST, "/api/v1/drills/\(id)/abort", token: APIHarness.operatorToken,
      json: #"{"reason":"customer demo"}"#)
    #expect(aborted.status == 200, "\(aborted.text)")
    await api.settle()
    try await api.application.drills.tick()
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.10"])
    let run = try #require(try await runs(api, id).first)
    #expect(run["state"] as? String == "aborted")
    #expect(((run["aborted_by"] as? [String: Any])?["detail"] as? String)?.contains("grace") == true)
    let refused = try await api.send(.POST, "/api/v1/drills/\(id)/abort", json: #"{"reason":"again"}"#)
    #expect(refused.status == 409)
    let events = try await api.send(.GET, "/api/v1/events?kind=drill.abort_requested")
    let audited = (events.json["events"] as? [[String: Any]]) ?? []
    #expect(audited.map { $0["actor"] as? String } == ["grace"])
    #expect((audited.first?["message"] as? String)?.contains("customer demo") == true)
  }
}

/// Drills on the status pages: summary.json's scheduled maintenances and `under_maintenance` components.
@Suite("Drills in summary.json")
struct DrillStatusTests {
  func summary(_ api: APIHarness) async throws -> [String: Any] {
    let drills = try await api.store.drills()
    let running = try await api.store.runningDrillRuns()
    let snapshot = await api.engine.snapshot()
    var renderer = StatusRenderer()
    let rendered = renderer.render(
      snapshot, lastFailover: nil, now: api.clock.now,
      maintenances: DrillMaintenance.of(
        drills, running: running,
        routing: Dictionary(uniqueKeysWithValues: snapshot.services.map { ($0.id, $0.routing) }),
        now: api.clock.now))
    return (try JSONSerialization.jsonObject(with: Data(rendered.statuspageSummary.bytes))) as? [String: Any]
      ?? [:]
  }

  @Test(
    "Given a scheduled drill, when it runs, then summary.json shows it scheduled, then in progress with its components under maintenance"
  )
  func maintenances() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    #expect((try await summary(api)["scheduled_maintenances"] as? [Any])?.isEmpty == true)
    _ = try await api.send(.POST, "/api/v1/drills", json: DrillAPITests.live)
    var document = try await summary(api)
    var maintenance = try #require((document["scheduled_maintenances"] as? [[String: Any]])?.first)
    #expect(maintenance["status"] as? String == "scheduled")
    #expect(maintenance["scheduled_for"] as? String == "2027-01-15T09:00:00.000Z")
    #expect(
      (document["components"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "operational" }
        == true)
    api.clock.advance(3600 - 3)
    try await api.application.drills.tick()
    await api.settle()
    try await api.application.drills.tick()
    document = try await summary(api)
    maintenance = try #require((document["scheduled_maintenances"] as? [[String: Any]])?.first)
    #expect(maintenance["status"] as? String == "in_progress")
    #expect((maintenance["components"] as? [Any])?.count == 3)
    let statuses = (document["components"] as? [[String: Any]])?.map { $0["status"] as? String }
    #expect(statuses == ["under_maintenance", "under_maintenance", "under_maintenance"])
  }
}

/// Drill metrics on `/metrics`.
@Suite("Drill metrics")
struct DrillMetricsTests {
  @Test(
    "Given a live drill that ran and one skipped, when metrics are scraped, then runs by outcome and the last recovery time show"
  )
  func metrics() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    _ = try await api.send(.POST, "/api/v1/drills", json: DrillAPITests.live)
    api.clock.advance(3600 - 3)
    try await api.application.drills.tick()
    await api.settle()
    try await api.application.drills.tick()
    api.clock.advance(600)
    try await api.application.drills.tick()
    await api.settle()
    try await api.application.drills.tick()
    let text = await api.application.metrics.renderText()
    #expect(text.contains(#"switchboard_drill_runs_total{mode="live",outcome="succeeded"} 1"#), "\(text)")
    #expect(text.contains(#"switchboard_drill_last_recovery_seconds{service="api.example.com"}"#))
  }
}
