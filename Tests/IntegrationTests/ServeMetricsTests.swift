import Foundation
import SampleRegion
import Switchboard
import Testing

/// `GET /metrics` of a real `switchboard serve`: after probes, routing requests and a failover (AWS is moto_server),
/// curl scrapes it and `promtool check metrics` accepts it without a lint problem.
@Suite("switchboard serve /metrics", .serialized)
struct ServeMetricsTests {
  static let moto = MotoServer()
  static let service = #"service="api.example.com""#
  static let scraperToken = "prometheus-scraper-token"

  /// Polls `condition` every 100 ms until it holds or `seconds` pass.
  func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if (try? await condition()) == true { return true }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    return try await condition()
  }

  /// The value of the sample named exactly `series` in an exposition, or nil.
  func value(_ text: String, _ series: String) -> Double? {
    text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
      Double($0.dropFirst(series.count + 1))
    }
  }

  @Test(
    "Given a serve that failed over, when curl scrapes /metrics, then promtool accepts it and it shows the probes, requests, AWS calls and the workflow"
  )
  func scrapePassesPromtool() async throws {
    let curl = try ExternalTool("curl", package: "curl")
    let promtool = try ExternalTool("promtool", package: "prometheus")
    let users = try await Self.moto.fresh()
    let motoURL = await Self.moto.url
    let primary = SampleRegion(SampleRegionState(region: "us-east-1"))
    let secondary = SampleRegion(SampleRegionState(region: "us-west-2"))
    let servers = [
      try primary.start(host: "127.0.0.1", port: 0), try secondary.start(host: "127.0.0.1", port: 0),
    ]
    defer { Task { for server in servers { await server.shutdown() } } }
    let directory = try ChildProcess.temporaryDirectory("serve-metrics")
    var config = ServeConfig(
      primaryHealthURL: "http://127.0.0.1:\(servers[0].boundAddresses[0].port)/health",
      secondaryHealthURL: "http://127.0.0.1:\(servers[1].boundAddresses[0].port)/health", directory: directory
    )
    config.routing = "failover-health-check"
    config.awsEndpoint = motoURL.absoluteString
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
        "SWITCHBOARD_VIEWER_TOKEN": Self.scraperToken,
      ]))
    defer { serve.kill() }
    let bearer = ["Authorization": "Bearer \(Self.scraperToken)"]
    #expect(try await HTTP.get("\(serve.base)/metrics").status == 401)
    let routing = "\(serve.base)/routing/api.example.com"
    let eastProbe = #"\#(Self.service),region="us-east-1",signal="probe \#(config.primaryHealthURL)""#
    let eastHealthy = #"switchboard_probe_results_total{\#(eastProbe),result="healthy"}"#
    let probedHealthy = try await eventually(30) {
      let metrics = try await HTTP.get("\(serve.base)/metrics", headers: bearer)
      return try await HTTP.get("\(routing)/us-east-1").status == 200
        && (value(metrics.body, eastHealthy) ?? 0) >= 1
    }
    #expect(probedHealthy, "\(serve.output)")

    primary.setFailing(true)
    let counted = #"switchboard_workflows_total{\#(Self.service),trigger="automatic",outcome="succeeded"}"#
    let failedOver = try await eventually(60) {
      let east = try await HTTP.get("\(routing)/us-east-1")
      let metrics = try await HTTP.get("\(serve.base)/metrics", headers: bearer)
      return east.status == 503 && value(metrics.body, counted) == 1
    }
    #expect(failedOver, "\(serve.output)")

    let body = directory + "/metrics.txt"
    let scrape = try await curl.run([
      "-sS", "-m", "20", "-D", "-", "-o", body, "-H", "Authorization: Bearer \(Self.scraperToken)",
      "\(serve.base)/metrics",
    ])
    let check = try await promtool.run(["check", "metrics"], stdin: body)
    let text = try String(contentsOfFile: body, encoding: .utf8)

    #expect(scrape.status == 0, "\(scrape.err)")
    #expect(
      scrape.out.lowercased().contains("content-type: text/plain; version=0.0.4; charset=utf-8"),
      "\(scrape.out)")
    #expect(check.status == 0, "promtool: \(check.out)\(check.err)\n\(text)")
    #expect(check.out.isEmpty && check.err.isEmpty, "promtool lint: \(check.out)\(check.err)")
    #expect(value(text, counted) == 1)
    #expect(
      value(text, #"switchboard_workflow_duration_seconds_count{\#(Self.service),outcome="succeeded"}"#) == 1)
    #expect(value(text, #"switchboard_active_region{\#(Self.service),region="us-west-2"}"#) == 1)
    #expect(value(text, #"switchboard_active_region{\#(Self.service),region="us-east-1"}"#) == 0)
    #expect(
      value(text, #"switchboard_service_health{\#(Self.service),region="us-east-1",status="unhealthy"}"#) == 1
    )
    #expect(value(text, "switchboard_workflows_in_flight") == 0)
    #expect(value(text, #"switchboard_overrides_active{kind="freeze"}"#) == 0)
    #expect((value(text, eastHealthy) ?? 0) >= 1, "\(text)")
    #expect((value(text, #"switchboard_probe_results_total{\#(eastProbe),result="unhealthy"}"#) ?? 0) >= 1)
    #expect((value(text, "switchboard_probe_latency_seconds_count{\(eastProbe)}") ?? 0) >= 1)
    let routed = #"method="GET",route="/routing/{service}/{region}""#
    #expect((value(text, #"switchboard_http_requests_total{\#(routed),status="200"}"#) ?? 0) >= 1)
    #expect((value(text, #"switchboard_http_requests_total{\#(routed),status="503"}"#) ?? 0) >= 1)
    // The workflow's metrics, besides the CloudWatch heartbeat's (each beat is one PutMetricData too).
    let beats =
      (value(text, #"switchboard_heartbeats_total{outcome="published"}"#) ?? 0)
      + (value(text, #"switchboard_heartbeats_total{outcome="failed"}"#) ?? 0)
    #expect(
      (value(text, #"switchboard_aws_calls_total{service="CloudWatch",operation="PutMetricData"}"#) ?? 0)
        >= beats + 1, "\(text)")
  }
}
