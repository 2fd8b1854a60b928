import AWS
import Configuration
import FailoverCore
import Foundation
import Store
import Switchboard
import Testing

/// `/api/v1/status`, the SSE stream and Route53 against a real `switchboard serve`: pollers get 304 until the
/// state changes, and a failover is seen the same way by all three, with the workflow's measured times.
@Suite("Status and event stream, end to end", .serialized)
struct StatusEndToEndTests {
  /// `public_status` and one viewer token, appended to the test configuration.
  static func authYAML(publicStatus: Bool, viewer: NewToken) -> String {
    "public_status: \(publicStatus)\nauth:\n  tokens:\n    \(viewer.yamlLine)\n"
  }

  /// Polls `condition` every 50 ms until it holds or `seconds` pass; returns when it first held (nil if never).
  func whenTrue(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Date? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if (try? await condition()) == true { return Date() }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    return nil
  }

  static func json(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
  }

  @Test(
    "Given a running serve, when a poller repeats GET /api/v1/status with If-None-Match, then it gets 304 until the standby fails"
  )
  func pollerGets304UntilChange() async throws {
    let primary = try await SampleRegionProcess(region: "us-east-1")
    let secondary = try await SampleRegionProcess(region: "us-west-2")
    defer {
      primary.stop()
      secondary.stop()
    }
    let viewer = TokenFactory.make(name: "poller", role: .viewer)
    var config = ServeConfig(
      primaryHealthURL: primary.healthURL, secondaryHealthURL: secondary.healthURL,
      directory: try ChildProcess.temporaryDirectory("status-poller"))
    config.extraYAML = Self.authYAML(publicStatus: true, viewer: viewer)
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used",
      ]))
    defer { serve.kill() }
    let url = "\(serve.base)/api/v1/status"
    let healthy = try await whenTrue(30) {
      Self.json(try await StatusCurl.get(url).body)["indicator"] as? String == "none"
    }
    #expect(healthy != nil, "\(serve.output)")
    let first = try await StatusCurl.get(url)
    let etag = try #require(first.headers["etag"])

    // 14 polls over about 7 s: probes run every second and the publisher re-renders every 5 s meanwhile.
    var statuses: [Int] = []
    for _ in 0..<14 {
      statuses.append(try await StatusCurl.get(url, headers: ["If-None-Match": etag]).status)
      try await Task.sleep(nanoseconds: 500_000_000)
    }
    try await secondary.fail()
    var changed: StatusCurl.Answer?
    _ = try await whenTrue(30) {
      let answer = try await StatusCurl.get(url, headers: ["If-None-Match": etag])
      if answer.status == 200 { changed = answer }
      return answer.status == 200
    }

    #expect(first.status == 200)
    #expect(statuses == Array(repeating: 304, count: 14), "\(statuses)")
    let document = Self.json(changed?.body ?? "")
    #expect(document["indicator"] as? String == "minor", "\(changed?.body ?? "no change seen")")
    #expect(changed?.headers["etag"] != etag)
  }

  @Test(
    "Given moto as AWS and two sample regions, when the primary fails, then /api/v1/status, the SSE stream and Route53 agree on the failover, with its measured times"
  )
  func failoverSeenEverywhere() async throws {
    let testStarted = Date()
    let moto = MotoServer()
    try await moto.start()
    let users = try await moto.fresh()
    let motoURL = await moto.url
    let example = try await ExampleZone.create(motoURL: motoURL, tester: users.tester)
    let tester = example.route53
    let zoneID = example.zoneID
    let primary = try await SampleRegionProcess(region: "us-east-1")
    let secondary = try await SampleRegionProcess(region: "us-west-2")
    defer {
      primary.stop()
      secondary.stop()
    }
    let viewer = TokenFactory.make(name: "watcher", role: .viewer)
    var config = ServeConfig(
      primaryHealthURL: primary.healthURL, secondaryHealthURL: secondary.healthURL,
      directory: try ChildProcess.temporaryDirectory("status-e2e"))
    config.awsEndpoint = motoURL.absoluteString
    config.extraYAML = Self.authYAML(publicStatus: false, viewer: viewer)
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
      ]))
    defer { serve.kill() }
    let authorization = ["Authorization": "Bearer \(viewer.token)"]
    let statusURL = "\(serve.base)/api/v1/status"
    let healthy = try await whenTrue(30) {
      Self.json(try await StatusCurl.get(statusURL, headers: authorization).body)["indicator"] as? String
        == "none"
    }
    #expect(healthy != nil, "\(serve.output)")
    let stream = try StatusCurl.Stream("\(serve.base)/api/v1/events/stream", headers: authorization)
    defer { stream.stop() }
    #expect(try await whenTrue(20) { stream.text.contains("retry: ") } != nil)

    let flippedAt = Date()
    try await primary.fail()
    // One loop watches all three (every 20 ms, bounded), so the first time each showed the failover is
    // comparable.
    var document: [String: Any] = [:]
    var statusAt: Date?
    var streamAt: Date?
    var route53At: Date?
    let deadline = Date().addingTimeInterval(90)
    while Date() < deadline, statusAt == nil || streamAt == nil || route53At == nil {
      if streamAt == nil, stream.text.contains("event: workflow.succeeded") { streamAt = Date() }
      if statusAt == nil {
        let current = Self.json(try await StatusCurl.get(statusURL, headers: authorization).body)
        let last = current["last_failover"] as? [String: Any]
        if current["active_regions"] as? [String] == ["us-west-2"], last?["state"] as? String == "succeeded" {
          statusAt = Date()
          document = current
        }
      }
      if route53At == nil,
        try await tester.records(zoneID: zoneID, name: "api.example.com").map(\.values) == [["192.0.2.20"]]
      {
        route53At = Date()
      }
      try await Task.sleep(nanoseconds: 20_000_000)
    }

    let context = "--- serve log\n\(serve.output)\n--- stream\n\(stream.text)"
    #expect(statusAt != nil && streamAt != nil && route53At != nil, "\(context)")
    let last = try #require(document["last_failover"] as? [String: Any], "\(context)")
    let workflowID = try #require(last["workflow_id"] as? String)
    #expect(last["from_regions"] as? [String] == ["us-east-1"])
    #expect(last["to_regions"] as? [String] == ["us-west-2"])
    #expect(last["trigger"] as? String == "automatic")
    let services = document["services"] as? [[String: Any]] ?? []
    #expect(services.first?["active_regions"] as? [String] == ["us-west-2"])
    #expect(services.first?["failover_in_progress"] as? Bool == false)

    let succeeded = stream.text.components(separatedBy: "\n\n").first {
      $0.contains("event: workflow.succeeded")
    }
    let data = succeeded?.components(separatedBy: "\n").first { $0.hasPrefix("data: ") }.map {
      String($0.dropFirst(6))
    }
    let event = Self.json(data ?? "")
    #expect(
      (event["details"] as? [String: Any])?["workflow"] as? String == workflowID, "\(succeeded ?? "none")")
    #expect(stream.text.contains("event: workflow.started"))
    #expect(stream.text.contains("event: decision.initiated"))

    let store = try SQLiteStore(path: config.storagePath)
    let record = try #require(try await store.workflow(id: workflowID)?.record)
    let timings = try #require(record.timings)
    let documentTimings = last["timings"] as? [String: Double] ?? [:]
    for (name, seconds) in timings.secondsSinceStart {
      #expect(abs((documentTimings[name] ?? -1) - seconds) < 0.001, "\(name): \(documentTimings) vs store")
    }
    #expect(documentTimings["dns_change_accepted"] != nil && documentTimings["verified"] != nil)
    stream.stop()
    let recordedAt = (event["at"] as? String).flatMap(APIJSON.parseTimestamp)
    var delivery = "?"
    if let recordedAt, let streamAt {
      delivery = String(format: "%.0f ms", streamAt.timeIntervalSince(recordedAt) * 1000)
    }
    let seen = { (date: Date?) in String(format: "%.2f s", date.map { $0.timeIntervalSince(flippedAt) } ?? -1)
    }
    print(
      "StatusEndToEnd: from the flip, /api/v1/status showed the failover after \(seen(statusAt)), the SSE stream "
        + "had workflow.succeeded after \(seen(streamAt)), Route53 read back 192.0.2.20 after \(seen(route53At)); "
        + "workflow.succeeded reached the stream \(delivery) after it was recorded; "
        + "workflow timings (s from first unhealthy observation): "
        + documentTimings.keys.sorted().map { "\($0)=" + String(format: "%.3f", documentTimings[$0]!) }
        .joined(separator: ", ")
        + String(format: " (test body %.1f s)", Date().timeIntervalSince(testStarted)))
  }
}
