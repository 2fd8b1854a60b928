import FailoverCore
import Foundation
import StatusPages
import Store
import Switchboard
import Testing

/// The status documents rendered from real engine snapshots (engine over in-memory ports, manual clock).
@Suite("Status documents")
struct StatusRendererTests {
  typealias Harness = EngineTests.Harness

  /// The parsed `/api/v1/status` of one render.
  static func status(_ rendered: RenderedStatus) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(rendered.status.bytes)) as? [String: Any])
  }

  static func serviceEntry(_ document: [String: Any]) throws -> [String: Any] {
    let services = try #require(document["services"] as? [[String: Any]])
    return try #require(services.first)
  }

  /// Renders the harness's engine now.
  static func render(_ harness: Harness, _ renderer: inout StatusRenderer) async -> RenderedStatus {
    renderer.render(await harness.engine.snapshot(), lastFailover: nil, now: harness.clock.now)
  }

  @Test("Given both regions healthy, then the indicator is none and the service operational, primary active")
  func allHealthy() async throws {
    let harness = Harness()
    try await harness.warmUp()
    var renderer = StatusRenderer()

    let document = try Self.status(await Self.render(harness, &renderer))

    #expect(document["indicator"] as? String == "none")
    #expect(document["description"] as? String == "All Systems Operational")
    #expect(document["active_regions"] as? [String] == ["us-east-1"])
    #expect(document["last_failover"] is NSNull)
    #expect((document["overrides"] as? [Any])?.isEmpty == true)
    let service = try Self.serviceEntry(document)
    #expect(service["status"] as? String == "operational")
    #expect(service["primary_region"] as? String == "us-east-1")
    #expect(service["failover_in_progress"] as? Bool == false)
    let regions = try #require(service["regions"] as? [[String: Any]])
    #expect(regions.map { $0["health"] as? String } == ["healthy", "healthy"])
    #expect(regions.map { $0["receives_traffic"] as? Bool } == [true, false])
    let topRegions = try #require(document["regions"] as? [[String: Any]])
    #expect(topRegions.map { $0["id"] as? String } == ["us-east-1", "us-west-2"])
    #expect(topRegions.map { $0["active"] as? Bool } == [true, false])
  }

  @Test("Given no verdict yet, then the service is degraded_performance and the indicator minor")
  func noVerdictYet() async throws {
    let harness = Harness()
    try await harness.engine.start(runLoops: false)
    var renderer = StatusRenderer()

    let document = try Self.status(await Self.render(harness, &renderer))

    #expect(document["indicator"] as? String == "minor")
    #expect(try Self.serviceEntry(document)["status"] as? String == "degraded_performance")
  }

  @Test(
    "Given the standby region unhealthy, then the indicator is minor (traffic is served, redundancy lost)")
  func standbyDown() async throws {
    let harness = Harness()
    try await harness.warmUp()
    for _ in 0..<3 { await harness.round(primary: .healthy, secondary: .unhealthy) }
    var renderer = StatusRenderer()

    let document = try Self.status(await Self.render(harness, &renderer))

    #expect(document["indicator"] as? String == "minor")
    #expect(document["description"] as? String == "Minor Service Outage")
    #expect(try Self.serviceEntry(document)["status"] as? String == "degraded_performance")
    let regions = try #require(document["regions"] as? [[String: Any]])
    #expect(regions.map { $0["health"] as? String } == ["healthy", "unhealthy"])
  }

  @Test("Given the active region degraded, then the indicator is minor")
  func activeDegraded() async throws {
    let harness = Harness()
    try await harness.warmUp()
    await harness.round(primary: .degraded)
    var renderer = StatusRenderer()

    let document = try Self.status(await Self.render(harness, &renderer))

    #expect(document["indicator"] as? String == "minor")
    #expect(try Self.serviceEntry(document)["status"] as? String == "degraded_performance")
  }

  @Test(
    "Given a freeze and the active region unhealthy while the standby is healthy, then the indicator is major and the override is listed"
  )
  func activeDownStandbyUp() async throws {
    let harness = Harness()
    try await harness.warmUp()
    let freeze = try await harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "bob", reason: "game day", duration: 3600))
    for _ in 0..<3 { await harness.round(primary: .unhealthy) }
    var renderer = StatusRenderer()

    let document = try Self.status(await Self.render(harness, &renderer))

    #expect(document["indicator"] as? String == "major")
    #expect(document["description"] as? String == "Partial System Outage")
    #expect(try Self.serviceEntry(document)["status"] as? String == "partial_outage")
    let overrides = try #require(document["overrides"] as? [[String: Any]])
    #expect(overrides.count == 1)
    #expect(overrides.first?["id"] as? String == freeze.id)
    #expect(overrides.first?["scope"] as? String == "global")
    #expect(overrides.first?["kind"] as? String == "freeze")
    #expect(overrides.first?["target_region"] is NSNull)
    #expect(overrides.first?["reason"] as? String == "game day")
  }

  @Test("Given no region able to take traffic, then the indicator is critical")
  func nothingCanServe() async throws {
    let harness = Harness()
    try await harness.warmUp()
    let _ = try await harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "bob", reason: "hold still", duration: 3600))
    for _ in 0..<3 { await harness.round(primary: .unhealthy, secondary: .unhealthy) }
    var renderer = StatusRenderer()

    let rendered = await Self.render(harness, &renderer)
    let document = try Self.status(rendered)

    #expect(document["indicator"] as? String == "critical")
    #expect(try Self.serviceEntry(document)["status"] as? String == "major_outage")
    let statuspage = try #require(
      JSONSerialization.jsonObject(with: Data(rendered.statuspageStatus.bytes)) as? [String: Any])
    let verdict = try #require(statuspage["status"] as? [String: Any])
    #expect(verdict["indicator"] as? String == "critical")
    #expect(verdict["description"] as? String == "Major System Outage")
  }

  @Test(
    "Given the same state rendered twice at different times, then the bytes and ETags are equal; a change moves updated_at and the ETag"
  )
  func etagStability() async throws {
    let harness = Harness()
    try await harness.warmUp()
    var renderer = StatusRenderer()
    let first = await Self.render(harness, &renderer)
    harness.clock.advance(30)

    let second = await Self.render(harness, &renderer)

    #expect(first == second)
    #expect(first.status.etag.hasPrefix("\"") && first.status.etag.hasSuffix("\""))
    #expect(Set([first.status.etag, first.statuspageStatus.etag, first.statuspageSummary.etag]).count == 3)

    await harness.round(primary: .healthy, secondary: .degraded)
    let changedAt = harness.clock.now
    let third = await Self.render(harness, &renderer)
    harness.clock.advance(5)
    let fourth = await Self.render(harness, &renderer)

    #expect(third.status.etag != second.status.etag)
    #expect(third.statuspageSummary.etag != second.statuspageSummary.etag)
    #expect(third == fourth)
    let document = try Self.status(third)
    #expect(document["updated_at"] as? String == APIJSON.timestamp(changedAt))
  }

  @Test(
    "Given a healthy service, then summary.json has the Statuspage shape: a service group with one component per region, no incidents, no maintenances"
  )
  func statuspageSummaryShape() async throws {
    let harness = Harness()
    try await harness.warmUp()
    await harness.round(primary: .healthy, secondary: .degraded)
    var renderer = StatusRenderer(pageName: "Example status", pageURL: "https://status.example.com")

    let rendered = await Self.render(harness, &renderer)
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(rendered.statuspageSummary.bytes)) as? [String: Any])

    #expect(Set(summary.keys) == ["page", "components", "incidents", "scheduled_maintenances", "status"])
    let page = try #require(summary["page"] as? [String: Any])
    #expect(Set(page.keys) == ["id", "name", "url", "time_zone", "updated_at"])
    #expect(page["name"] as? String == "Example status")
    #expect(page["url"] as? String == "https://status.example.com")
    #expect(page["time_zone"] as? String == "Etc/UTC")
    #expect((summary["incidents"] as? [Any])?.isEmpty == true)
    #expect((summary["scheduled_maintenances"] as? [Any])?.isEmpty == true)
    let components = try #require(summary["components"] as? [[String: Any]])
    #expect(
      components.map { $0["name"] as? String } == [
        "api.example.com", "api.example.com (us-east-1)", "api.example.com (us-west-2)",
      ])
    #expect(
      components.map { $0["status"] as? String } == [
        "degraded_performance", "operational", "degraded_performance",
      ])
    #expect(components.map { $0["position"] as? Int } == [1, 2, 3])
    let group = components[0]
    #expect(group["group"] as? Bool == true)
    #expect(group["group_id"] is NSNull)
    let memberIDs = components.dropFirst().compactMap { $0["id"] as? String }
    #expect(group["components"] as? [String] == memberIDs)
    for member in components.dropFirst() {
      #expect(member["group"] as? Bool == false)
      #expect(member["group_id"] as? String == group["id"] as? String)
      #expect(member["components"] == nil)
      #expect(member["page_id"] as? String == page["id"] as? String)
      #expect(
        Set(member.keys) == [
          "id", "name", "status", "created_at", "updated_at", "position", "description", "showcase",
          "start_date", "group_id", "page_id", "group", "only_show_if_degraded",
        ])
    }
    let ids = components.compactMap { $0["id"] as? String }
    #expect(ids.allSatisfy { $0.count == 12 })
  }

  @Test("Given a finished failover, then last_failover carries its regions and measured timings")
  func lastFailoverTimings() async throws {
    let harness = Harness()
    try await harness.warmUp()
    for _ in 0..<3 { await harness.round(primary: .unhealthy) }
    await harness.engine.waitForWorkflows()
    let snapshot = await harness.engine.snapshot()
    let workflow = try #require(snapshot.service(EngineFixtures.service)?.lastWorkflow)
    let last = LastFailover(
      workflowID: workflow.id, plan: workflow.plan, succeeded: workflow.state == .succeeded,
      decidedAt: workflow.startedAt, finishedAt: workflow.finishedAt, timings: workflow.timings)
    var renderer = StatusRenderer()

    let document = try Self.status(renderer.render(snapshot, lastFailover: last, now: harness.clock.now))

    #expect(document["active_regions"] as? [String] == ["us-west-2"])
    let failover = try #require(document["last_failover"] as? [String: Any])
    #expect(failover["workflow_id"] as? String == workflow.id)
    #expect(failover["from_regions"] as? [String] == ["us-east-1"])
    #expect(failover["to_regions"] as? [String] == ["us-west-2"])
    #expect(failover["state"] as? String == "succeeded")
    #expect(failover["trigger"] as? String == "automatic")
    let timings = try #require(failover["timings"] as? [String: Double])
    #expect(timings["decided"] != nil && timings["finished"] != nil, "\(timings)")
  }

  @Test(
    "Given a publisher over a store file, when the process restarts an hour later over the same file, then every component keeps its created_at"
  )
  func createdAtSurvivesRestart() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("status-created-\(UUID())")
      .path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/switchboard.sqlite"
    let harness = Harness()
    try await harness.warmUp()
    let firstStart = harness.clock.now

    let before = try Self.componentTimes(
      await Self.publish(harness, store: try SQLiteStore(path: path), clock: harness.clock))
    harness.clock.advance(3600)
    let after = try Self.componentTimes(
      await Self.publish(harness, store: try SQLiteStore(path: path), clock: harness.clock))

    #expect(before.count == 3)
    #expect(after == before)
    #expect(Set(after.values) == [APIJSON.timestamp(firstStart)])
  }

  /// Renders once through a fresh publisher (a process start) over `store`.
  static func publish(_ harness: Harness, store: SQLiteStore, clock: EngineManualClock) async
    -> RenderedStatus?
  {
    let publisher = StatusPublisher(clock: clock)
    await publisher.refresh(engine: harness.engine, store: store)
    return publisher.current
  }

  /// `created_at` of each summary.json component, by id.
  static func componentTimes(_ rendered: RenderedStatus?) throws -> [String: String] {
    let rendered = try #require(rendered)
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(rendered.statuspageSummary.bytes)) as? [String: Any])
    let components = try #require(summary["components"] as? [[String: Any]])
    var times: [String: String] = [:]
    for component in components {
      times[try #require(component["id"] as? String)] = try #require(component["created_at"] as? String)
    }
    return times
  }
}
