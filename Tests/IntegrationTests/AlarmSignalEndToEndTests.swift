import AWS
import Configuration
import FailoverCore
import Foundation
import Switchboard
import Testing

/// A CloudWatch alarm as a signal of a real `switchboard serve` against moto_server: from `SetAlarmState` to the
/// Route53 record moved, measured.
@Suite("Alarm signals, end to end", .serialized)
struct AlarmSignalEndToEndTests {
  /// `aws.alarm_poll_interval` for the run: the default (10 s) unless `ALARM_POLL_INTERVAL` names another, e.g.
  /// `ALARM_POLL_INTERVAL=30s swift test --skip-build --filter AlarmSignalEndToEndTests` for the old pace.
  static let pollInterval = ProcessInfo.processInfo.environment["ALARM_POLL_INTERVAL"]
  static let pollSeconds: Double = pollInterval.map(Self.seconds) ?? AWSSettings.defaultAlarmPollInterval

  static func seconds(_ text: String) -> Double {
    text.hasSuffix("s") ? Double(text.dropLast()) ?? 0 : Double(text) ?? 0
  }

  @Test(
    "Given moto as AWS and an alarm on the primary region, when the alarm goes to ALARM, then the record moves within one poll interval plus the workflow"
  )
  func alarmMovesTheRecord() async throws {
    let moto = MotoServer()
    try await moto.start()
    let users = try await moto.fresh()
    let motoURL = await moto.url
    let example = try await ExampleZone.create(motoURL: motoURL, tester: users.tester)
    let alarmName = "switchboard-e2e-us-east-1"
    let cloudWatch = CloudWatchClient(
      endpoint: motoURL, region: "us-east-1", credentials: StaticCredentialProvider(users.tester),
      retry: AWS.RetryPolicy(maxAttempts: 1))
    try await cloudWatch.putMetricAlarm(
      MetricAlarm.healthCheckStatus(name: alarmName, healthCheckID: "hc-e2e", description: "us-east-1 down"))
    let regions = try ServeCommandTests.Regions()
    defer { Task { await regions.stop() } }
    var config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("alarm-e2e"))
    config.awsEndpoint = motoURL.absoluteString
    config.primaryRegionAlarm = alarmName
    config.alarmPollInterval = Self.pollInterval
    let token = "alarm-e2e-viewer"
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
        "SWITCHBOARD_VIEWER_TOKEN": token,
      ]))
    defer { serve.kill() }

    // us-east-1 is healthy only once the alarm was read OK (an unread alarm is unknown).
    var primaryHealth = ""
    let healthyBy = Date().addingTimeInterval(Self.pollSeconds + 30)
    while Date() < healthyBy, primaryHealth != "healthy" {
      let answer = try? await HTTP.get(
        "\(serve.base)/api/v1/services/api.example.com", headers: ["Authorization": "Bearer \(token)"])
      let document = (answer?.body).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
      let regionsJSON = (document as? [String: Any])?["regions"] as? [[String: Any]]
      primaryHealth = (regionsJSON?.first?["health"] as? [String: Any])?["status"] as? String ?? ""
      if primaryHealth != "healthy" { try await Task.sleep(nanoseconds: 100_000_000) }
    }
    #expect(primaryHealth == "healthy", "\(serve.output)")

    let firedAt = Date()
    try await cloudWatch.setAlarmState(name: alarmName, state: .alarm, reason: "e2e: us-east-1 down")
    var movedAt: Date?
    let movedBy = firedAt.addingTimeInterval(Self.pollSeconds + 30)
    while Date() < movedBy, movedAt == nil {
      if try await example.route53.records(zoneID: example.zoneID, name: "api.example.com").map(\.values)
        == [["192.0.2.20"]]
      {
        movedAt = Date()
      } else {
        try await Task.sleep(nanoseconds: 100_000_000)
      }
    }
    let elapsed = movedAt.map { $0.timeIntervalSince(firedAt) }
    print(
      "AlarmSignalEndToEndTests: alarm_poll_interval \(Self.pollSeconds) s: ALARM → record moved in "
        + (elapsed.map { String(format: "%.1f s", $0) } ?? "never"))
    #expect(movedAt != nil, "the record never moved:\n\(serve.output)")
    // At most one poll interval to read the alarm, a tick to decide, a few seconds for the workflow on moto.
    #expect((elapsed ?? .infinity) <= Self.pollSeconds + 8, "\(serve.output)")
  }
}
