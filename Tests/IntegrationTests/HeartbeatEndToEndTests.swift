import AWS
import FailoverCore
import Foundation
import Testing

/// The watcher watched: a running `serve` publishes its heartbeat to CloudWatch, and `bootstrap` creates the alarm
/// that fires when it stops (`plan` shows it, `teardown` removes it), against moto_server signing as the IAM user
/// that holds docs/iam-policy.json.
@Suite("Heartbeat metric and alarm against moto", .serialized)
struct HeartbeatEndToEndTests {
  static let moto = MotoServer()

  struct Peer {
    var url: URL
    var environment: [String: String]
    var cloudWatch: CloudWatchClient
  }

  func freshPeer() async throws -> Peer {
    let users = try await Self.moto.fresh()
    let url = await Self.moto.url
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ENDPOINT_URL": url.absoluteString, "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
    ])
    let tester = StaticCredentialProvider(users.tester)
    return Peer(
      url: url, environment: environment,
      cloudWatch: CloudWatchClient(
        endpoint: url, region: "us-east-1", credentials: tester, retry: AWS.RetryPolicy(maxAttempts: 1)))
  }

  /// examples/two-region.yaml with a cluster name and, when given, an SNS topic.
  func configuration(cluster: String, topic: String?) throws -> String {
    var text = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml", encoding: .utf8)
    let directory = try ChildProcess.temporaryDirectory("heartbeat")
    text = text.replacingOccurrences(of: "data/switchboard.sqlite", with: directory + "/switchboard.sqlite")
    if let topic {
      text = text.replacingOccurrences(
        of: "aws:\n  region: us-east-1\n", with: "aws:\n  region: us-east-1\n  sns_topic_arn: \(topic)\n")
    }
    text += "\ncluster:\n  name: \(cluster)\n"
    let path = directory + "/config.yaml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test(
    "Given serve with AWS configured and heartbeat_interval 10s, when it starts, then CloudWatch receives Switchboard Heartbeat with Cluster=<name>"
  )
  func servePublishesTheHeartbeat() async throws {
    let peer = try await freshPeer()
    let regions = try ServeCommandTests.Regions()
    defer { Task { await regions.stop() } }
    var config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("heartbeat-serve"))
    config.awsEndpoint = peer.url.absoluteString
    config.extraYAML = "cluster:\n  name: e2e-beat\n  heartbeat_interval: 10s\n"
    let token = "heartbeat-e2e-viewer"
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: peer.environment.merging(["SWITCHBOARD_VIEWER_TOKEN": token]) { _, new in new })
    defer { serve.kill() }

    var dimensions: [[String: String]] = []
    let by = Date().addingTimeInterval(20)
    while Date() < by, dimensions.isEmpty {
      let listed = try await peer.cloudWatch.query.call("ListMetrics", [("Namespace", "Switchboard")])
      dimensions =
        listed.child("Metrics")?.children("member").filter { $0.value("MetricName") == "Heartbeat" }.map {
          metric in
          Dictionary(
            uniqueKeysWithValues: (metric.child("Dimensions")?.children("member") ?? []).map {
              ($0.value("Name") ?? "", $0.value("Value") ?? "")
            })
        } ?? []
      if dimensions.isEmpty { try await Task.sleep(nanoseconds: 200_000_000) }
    }
    #expect(dimensions == [["Cluster": "e2e-beat"]], "\(serve.output)")
    let now = Date()
    let statistics = try await peer.cloudWatch.query.call(
      "GetMetricStatistics",
      [
        ("Namespace", "Switchboard"), ("MetricName", "Heartbeat"), ("Dimensions.member.1.Name", "Cluster"),
        ("Dimensions.member.1.Value", "e2e-beat"), ("Statistics.member.1", "SampleCount"),
        ("Statistics.member.2", "Maximum"), ("Period", "60"),
        ("StartTime", QueryParameters.timestamp(now.addingTimeInterval(-600))),
        ("EndTime", QueryParameters.timestamp(now.addingTimeInterval(60))),
      ])
    let points = statistics.child("Datapoints")?.children("member") ?? []
    #expect(points.compactMap { $0.value("SampleCount").flatMap(Double.init) }.reduce(0, +) >= 1, "\(points)")
    let metrics = try await HTTP.get("\(serve.base)/metrics", headers: ["Authorization": "Bearer \(token)"])
    #expect(metrics.body.contains("switchboard_heartbeats_total{outcome=\"published\"}"), "\(metrics.body)")
  }

  @Test(
    "Given a cluster with an SNS topic, when bootstrapped, then the heartbeat alarm exists with exactly its settings, plan is clean, and teardown removes it"
  )
  func bootstrapCreatesTheHeartbeatAlarm() async throws {
    let peer = try await freshPeer()
    let topic = "arn:aws:sns:us-east-1:123456789012:switchboard-oncall"
    let config = ["--config", try configuration(cluster: "prod-eu", topic: topic)]

    let bootstrap = try await SwitchboardBinary.run(
      ["bootstrap"] + config + ["--create-zone"], environment: peer.environment)
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(
      bootstrap.stdout.contains(
        "Did: create alarm switchboard-prod-eu-heartbeat on Switchboard Heartbeat in us-east-1"),
      "\(bootstrap)")
    let found = try await peer.cloudWatch.describeAlarms(names: ["switchboard-prod-eu-heartbeat"])
    let alarm = try #require(found.first?.alarm, "\(bootstrap)")
    #expect(alarm.namespace == "Switchboard")
    #expect(alarm.metricName == "Heartbeat")
    #expect(alarm.dimensions == ["Cluster": "prod-eu"])
    #expect(alarm.statistic == "SampleCount")
    #expect(alarm.period == 60)
    #expect(alarm.evaluationPeriods == 3)
    #expect(alarm.datapointsToAlarm == 3)
    #expect(alarm.threshold == 1)
    #expect(alarm.comparisonOperator == "LessThanThreshold")
    #expect(alarm.treatMissingData == "breaching")
    #expect(alarm.alarmActions == [topic])
    #expect(alarm.okActions == [topic])
    #expect(alarm.actionsEnabled)

    let plan = try await SwitchboardBinary.run(["plan"] + config, environment: peer.environment)
    #expect(plan.status == 0, "\(plan)")
    #expect(plan.stdout.hasPrefix("No drift"), "\(plan)")
    #expect(!plan.stderr.contains("nobody would be told"), "\(plan)")
    let again = try await SwitchboardBinary.run(["bootstrap"] + config, environment: peer.environment)
    #expect(again.stdout.hasPrefix("Nothing to do"), "\(again)")
    #expect(!again.stdout.contains("heartbeat"), "\(again)")

    let teardown = try await SwitchboardBinary.run(["teardown"] + config, environment: peer.environment)
    #expect(teardown.status == 0, "\(teardown)")
    #expect(
      teardown.stdout.contains("Did: delete alarm switchboard-prod-eu-heartbeat in us-east-1"), "\(teardown)")
    #expect(try await peer.cloudWatch.describeAlarms(names: ["switchboard-prod-eu-heartbeat"]).isEmpty)
    let gone = try await SwitchboardBinary.run(["plan"] + config, environment: peer.environment)
    #expect(gone.status == 2, "\(gone)")
    #expect(gone.lines.contains("missing alarm switchboard-prod-eu-heartbeat"), "\(gone)")
  }

  @Test(
    "Given no SNS topic, when planned and bootstrapped, then the alarm has no actions and both say nobody would be told"
  )
  func noTopicIsSaid() async throws {
    let peer = try await freshPeer()
    let config = ["--config", try configuration(cluster: "quiet", topic: nil)]
    let plan = try await SwitchboardBinary.run(["plan"] + config, environment: peer.environment)
    #expect(plan.status == 2, "\(plan)")
    #expect(plan.lines.contains("missing alarm switchboard-quiet-heartbeat"), "\(plan)")
    #expect(plan.stderr.contains("aws.sns_topic_arn is not set, so nobody would be told"), "\(plan)")
    let bootstrap = try await SwitchboardBinary.run(
      ["bootstrap"] + config + ["--create-zone"], environment: peer.environment)
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(bootstrap.stderr.contains("nobody would be told"), "\(bootstrap)")
    let alarm = try #require(
      try await peer.cloudWatch.describeAlarms(names: ["switchboard-quiet-heartbeat"]).first?.alarm)
    #expect(alarm.alarmActions.isEmpty && alarm.okActions.isEmpty)
  }
}
