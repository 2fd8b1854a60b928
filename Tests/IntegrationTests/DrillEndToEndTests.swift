import AWS
import FailoverCore
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Drills of a real `switchboard serve` against moto_server and two sample regions on loopback: the record moves
/// to the target, holds, and moves back; outcome alarms abort; blocking alarms skip; a restart during the hold
/// still fails back on time.
@Suite("Drills, end to end", .serialized)
struct DrillEndToEndTests {
  static let operatorToken = "drill-e2e-operator"

  /// moto with the example zone and two alarms (both OK), two sample regions, and `serve` on them.
  final class Setup: @unchecked Sendable {
    let moto = MotoServer()
    var example: ExampleZone!
    var cloudWatch: CloudWatchClient!
    var regions: ServeCommandTests.Regions!
    var config: ServeConfig!
    var environment: [String: String] = [:]
    var serve: ServeProcess!

    func start() async throws {
      try await moto.start()
      let users = try await moto.fresh()
      let motoURL = await moto.url
      example = try await ExampleZone.create(motoURL: motoURL, tester: users.tester)
      cloudWatch = CloudWatchClient(
        endpoint: motoURL, region: "us-east-1", credentials: StaticCredentialProvider(users.tester),
        retry: AWS.RetryPolicy(maxAttempts: 1))
      for name in ["drill-blocker", "drill-outcome"] {
        try await cloudWatch.putMetricAlarm(
          MetricAlarm.healthCheckStatus(name: name, healthCheckID: "hc-\(name)", description: name))
      }
      regions = try ServeCommandTests.Regions()
      config = ServeConfig(
        primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
        directory: try ChildProcess.temporaryDirectory("drill-e2e"))
      config.awsEndpoint = motoURL.absoluteString
      environment = try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
        "SWITCHBOARD_OPERATOR_TOKEN": DrillEndToEndTests.operatorToken,
      ])
      try await startServe()
    }

    /// Starts (or restarts) `serve` on the same configuration and store, and waits until us-west-2 is healthy.
    func startServe() async throws {
      serve = try await ServeProcess(config: try config.write(), environment: environment)
      let healthy = try await eventually(20) {
        let service = try await self.call("GET", "/api/v1/services/api.example.com")
        let regions = service["regions"] as? [[String: Any]] ?? []
        return regions.allSatisfy { ($0["health"] as? [String: Any])?["status"] as? String == "healthy" }
          && regions.count == 2
      }
      #expect(healthy, "\(serve.output)")
    }

    func stop() async {
      serve?.kill()
      await regions?.stop()
    }

    /// The record's values in moto.
    func record() async throws -> [String] {
      try await example.route53.records(zoneID: example.zoneID, name: "api.example.com").flatMap(\.values)
    }

    /// Calls the API as the operator; returns the JSON object (empty when none).
    @discardableResult
    func call(_ method: String, _ path: String, json: String? = nil) async throws -> [String: Any] {
      var request = URLRequest(url: URL(string: serve.base + path)!, timeoutInterval: 10)
      request.httpMethod = method
      request.setValue("Bearer \(DrillEndToEndTests.operatorToken)", forHTTPHeaderField: "Authorization")
      if let json {
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
      }
      let (data, _) = try await URLSession.shared.data(for: request)
      return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// Schedules a live drill of the service to us-west-2 starting in `seconds`.
    func scheduleDrill(in seconds: Double, hold: Double, extra: String = "") async throws -> String {
      let start = Event.timestamp(Date().addingTimeInterval(seconds))
      let body =
        #"{"subject":"service:api.example.com","target_region":"us-west-2","mode":"live","#
        + #""hold_seconds":\#(hold),"objective_seconds":30,"start_at":"\#(start)","reason":"e2e practice""#
        + extra + "}"
      let created = try await call("POST", "/api/v1/drills", json: body)
      return try #require(created["id"] as? String, "\(created)")
    }

    /// The drill's latest run.
    func latestRun(_ drill: String) async throws -> [String: Any]? {
      (try await call("GET", "/api/v1/drills/\(drill)/runs")["runs"] as? [[String: Any]])?.first
    }

    /// Polls `condition` every 100 ms until it holds or `seconds` pass.
    func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(nanoseconds: 100_000_000)
      }
      return false
    }
  }

  static func date(_ value: Any?) -> Date? { (value as? String).flatMap(RFC3339Date.parse) }

  @Test(
    "Given moto and two sample regions, when a live drill runs, then the record moves, holds, moves back, and the report agrees with the journal and the event log"
  )
  func liveDrill() async throws {
    let setup = Setup()
    defer { Task { await setup.stop() } }
    try await setup.start()
    let drill = try await setup.scheduleDrill(in: 2, hold: 3)
    let moved = try await setup.eventually(20) { try await setup.record() == ["192.0.2.20"] }
    #expect(moved, "\(setup.serve.output)")
    let movedAt = Date()
    let back = try await setup.eventually(30) { try await setup.record() == ["192.0.2.10"] }
    let backAt = Date()
    #expect(back)
    let ended = try await setup.eventually(10) {
      try await setup.latestRun(drill)?["state"] as? String == "succeeded"
    }
    let run = try #require(try await setup.latestRun(drill))
    #expect(ended, "\(run)")
    let move = try #require((run["moves"] as? [[String: Any]])?.first)
    let failover = try #require(move["failover"] as? [String: Any])
    let failback = try #require(move["failback"] as? [String: Any])
    let workflowID = try #require(failover["workflow_id"] as? String)
    // The journal's record of the same workflow.
    let workflow = try await setup.call("GET", "/api/v1/workflows/\(workflowID)")
    #expect(workflow["finished_at"] as? String == failover["finished_at"] as? String)
    let journalTimings = workflow["timings"] as? [String: Double] ?? [:]
    let recovery = try #require(failover["recovery_seconds"] as? Double)
    #expect(abs(recovery - (journalTimings["verified"] ?? -1)) < 0.002, "\(journalTimings) vs \(recovery)")
    // The event log's record of the same workflow.
    let events = try await setup.call("GET", "/api/v1/events?kind=workflow.succeeded&order=oldest")
    let succeeded = (events["events"] as? [[String: Any]] ?? []).first {
      ($0["details"] as? [String: Any])?["workflow"] as? String == workflowID
    }
    #expect(succeeded?["at"] as? String == failover["finished_at"] as? String)
    let drillEvents = try await setup.call(
      "GET", "/api/v1/events?kind=drill.started,drill.finished&order=oldest")
    #expect(
      (drillEvents["events"] as? [[String: Any]])?.map { $0["kind"] as? String } == [
        "drill.started", "drill.finished",
      ])
    // The hold: from the failover verified to the failback decision, at least the 3 s asked.
    let held = try #require(Self.date(failback["decided_at"])).timeIntervalSince(
      try #require(Self.date(failover["verified_at"])))
    #expect(held >= 3 && held < 6, "held \(held) s")
    #expect(run["objective_met"] as? Bool == true)
    print(
      String(
        format:
          "DrillEndToEndTests: recovery %.2f s (decision → verified), failback %.2f s, held %.2f s, record away %.2f s",
        recovery, failback["recovery_seconds"] as? Double ?? -1, held, backAt.timeIntervalSince(movedAt)))
  }

  @Test(
    "Given an outcome alarm, when moto sets it to ALARM during the hold, then the drill rolls back at once and the report names the alarm and when"
  )
  func outcomeAlarmAborts() async throws {
    let setup = Setup()
    defer { Task { await setup.stop() } }
    try await setup.start()
    let drill = try await setup.scheduleDrill(
      in: 2, hold: 120, extra: #","outcome_alarms":["drill-outcome"]"#)
    #expect(
      try await setup.eventually(20) { try await setup.latestRun(drill)?["phase"] as? String == "holding" })
    let firedAt = Date()
    try await setup.cloudWatch.setAlarmState(name: "drill-outcome", state: .alarm, reason: "e2e: errors up")
    let back = try await setup.eventually(20) { try await setup.record() == ["192.0.2.10"] }
    #expect(back, "\(setup.serve.output)")
    let rolledBackIn = Date().timeIntervalSince(firedAt)
    #expect(
      try await setup.eventually(10) { try await setup.latestRun(drill)?["state"] as? String == "aborted" })
    let run = try #require(try await setup.latestRun(drill))
    let abortedBy = try #require(run["aborted_by"] as? [String: Any])
    #expect(abortedBy["name"] as? String == "alarm:drill-outcome")
    #expect((abortedBy["detail"] as? String)?.contains("drill-outcome is in ALARM") == true)
    let at = try #require(Self.date(abortedBy["at"]))
    #expect(at >= firedAt.addingTimeInterval(-1) && at.timeIntervalSince(firedAt) < 10)
    print(String(format: "DrillEndToEndTests: outcome alarm → record back in %.2f s", rolledBackIn))
  }

  @Test(
    "Given a blocking alarm in ALARM, when the drill is due, then its run is skipped with that reason and nothing moves"
  )
  func blockingAlarmSkips() async throws {
    let setup = Setup()
    defer { Task { await setup.stop() } }
    try await setup.start()
    try await setup.cloudWatch.setAlarmState(
      name: "drill-blocker", state: .alarm, reason: "e2e: deploy running")
    let drill = try await setup.scheduleDrill(in: 2, hold: 3, extra: #","blocking_alarms":["drill-blocker"]"#)
    #expect(
      try await setup.eventually(20) { try await setup.latestRun(drill)?["state"] as? String == "skipped" })
    let run = try #require(try await setup.latestRun(drill))
    #expect((run["reason"] as? String)?.contains("drill-blocker is in ALARM") == true, "\(run)")
    #expect(try await setup.record() == ["192.0.2.10"])
    let workflows = try await setup.call("GET", "/api/v1/services/api.example.com/workflows")
    #expect((workflows["workflows"] as? [Any])?.isEmpty == true)
  }

  @Test(
    "Given a drill in its hold, when serve is killed and restarted, then the drill still fails back on time")
  func restartDuringHold() async throws {
    let setup = Setup()
    defer { Task { await setup.stop() } }
    try await setup.start()
    let drill = try await setup.scheduleDrill(in: 2, hold: 10)
    #expect(
      try await setup.eventually(20) { try await setup.latestRun(drill)?["phase"] as? String == "holding" })
    let holdEndsAt = try #require(Self.date(try await setup.latestRun(drill)?["hold_ends_at"]))
    setup.serve.kill()
    try await setup.startServe()
    #expect(try await setup.record() == ["192.0.2.20"])
    let back = try await setup.eventually(30) { try await setup.record() == ["192.0.2.10"] }
    let lateBy = Date().timeIntervalSince(holdEndsAt)
    #expect(back, "\(setup.serve.output)")
    #expect(
      try await setup.eventually(10) { try await setup.latestRun(drill)?["state"] as? String == "succeeded" })
    let run = try #require(try await setup.latestRun(drill))
    let failback = try #require((run["moves"] as? [[String: Any]])?.first?["failback"] as? [String: Any])
    let decided = try #require(Self.date(failback["decided_at"]))
    #expect(decided >= holdEndsAt && decided.timeIntervalSince(holdEndsAt) < 3, "\(run)")
    print(
      String(
        format: "DrillEndToEndTests: restart during the hold: record back %.2f s after the hold's end", lateBy
      ))
  }
}

/// RFC 3339 with fractional seconds (the API's timestamps).
enum RFC3339Date {
  static func parse(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }
}
