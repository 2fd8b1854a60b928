import AWS
import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Telemetry
import TestPeers
import Testing

/// Recording HTTP requests (through a real server's observer), AWS calls and probe observations, and serving
/// `GET /metrics` to viewers.
@Suite("Metrics recording")
struct MetricsRecordingTests {
  /// The scraper's viewer token.
  static let viewerToken = "metrics-viewer-secret"
  /// `Authorization` with the scraper's token.
  static let bearer = ["Authorization": "Bearer \(viewerToken)"]

  /// A server on loopback whose requests feed `metrics`, with `/items/{id}` and `/metrics` routes (the status
  /// documents public, which does not open `/metrics`).
  static func serve(_ metrics: SwitchboardMetrics) throws -> (HTTPServer, String) {
    let access = APIAccess(
      tokens: [
        AuthToken(name: "scraper", role: .viewer, sha256: EnvironmentOverrides.sha256Hex(viewerToken))
      ],
      publicStatus: true)
    var router = Router()
    router.get("/items/{id}") { _ in .text("item") }
    MetricsRoutes.register(in: &router, metrics: metrics, access: access)
    let server = HTTPServer(
      configuration: ServerConfiguration(listen: [.init(host: "127.0.0.1", port: 0)]), router: router,
      observer: metrics)
    try server.start()
    return (server, "http://127.0.0.1:\(server.boundAddresses[0].port)")
  }

  @Test(
    "Given requests to a pattern, an unknown path and an odd method, then they count under the pattern, unmatched and other"
  )
  func httpRequestsByRoute() async throws {
    let metrics = SwitchboardMetrics()
    let (server, base) = try Self.serve(metrics)
    defer { Task { await server.shutdown() } }

    for id in 1...3 { #expect(try await Loopback.request("GET", "\(base)/items/\(id)").status == 200) }
    #expect(try await Loopback.request("GET", "\(base)/nowhere/7").status == 404)
    #expect(try await Loopback.request("BREW", "\(base)/items/1").status == 405)
    let scrape = try await StatusTestClient.request("GET", "\(base)/metrics", headers: Self.bearer)

    #expect(scrape.status == 200)
    let text = scrape.body
    #expect(
      Exposition.value(
        text, #"switchboard_http_requests_total{method="GET",route="/items/{id}",status="200"}"#) == 3)
    #expect(
      Exposition.value(text, #"switchboard_http_requests_total{method="GET",route="unmatched",status="404"}"#)
        == 1)
    #expect(
      Exposition.value(
        text, #"switchboard_http_requests_total{method="other",route="unmatched",status="405"}"#) == 1)
    #expect(
      Exposition.value(
        text, #"switchboard_http_request_duration_seconds_count{method="GET",route="/items/{id}"}"#) == 3)
    #expect(Exposition.samples(text, containing: "/items/1").isEmpty, "raw paths never become label values")
  }

  @Test(
    "Given no token or a wrong one, then /metrics answers 401 and renders nothing; a viewer's token scrapes")
  func refusedScrape() async throws {
    let metrics = SwitchboardMetrics()
    let (server, base) = try Self.serve(metrics)
    defer { Task { await server.shutdown() } }

    let anonymous = try await StatusTestClient.request("GET", "\(base)/metrics")
    #expect(anonymous.status == 401)
    #expect(anonymous.headers["www-authenticate"] == #"Bearer realm="switchboard""#)
    #expect(anonymous.body.contains("viewer role"))
    #expect(!anonymous.body.contains("switchboard_"))
    let wrong = try await StatusTestClient.request(
      "GET", "\(base)/metrics", headers: ["Authorization": "Bearer nope"])
    #expect(wrong.status == 401)
    #expect(!wrong.body.contains("switchboard_"))
    #expect(try await StatusTestClient.request("GET", "\(base)/metrics", headers: Self.bearer).status == 200)
  }

  @Test(
    "Given AWS calls that succeed after retries and fail, then calls, retries, durations and error codes count"
  )
  func awsCalls() async {
    let metrics = SwitchboardMetrics()

    metrics.callCompleted(
      AWSCallRecord(
        service: "Route53", operation: "ChangeResourceRecordSets", attempts: 3, durationSeconds: 0.4,
        errorCode: nil))
    metrics.callCompleted(
      AWSCallRecord(
        service: "CloudWatch", operation: "DescribeAlarms", attempts: 1, durationSeconds: 0.02, errorCode: nil
      ))
    metrics.callCompleted(
      AWSCallRecord(
        service: "CloudWatch", operation: "DescribeAlarms", attempts: 4, durationSeconds: 2,
        errorCode: "Throttling"))
    let text = await metrics.renderText()

    let route53 = #"service="Route53",operation="ChangeResourceRecordSets""#
    let cloudWatch = #"service="CloudWatch",operation="DescribeAlarms""#
    #expect(Exposition.value(text, "switchboard_aws_calls_total{\(route53)}") == 1)
    #expect(Exposition.value(text, "switchboard_aws_retries_total{\(route53)}") == 2)
    #expect(Exposition.value(text, "switchboard_aws_calls_total{\(cloudWatch)}") == 2)
    #expect(Exposition.value(text, "switchboard_aws_retries_total{\(cloudWatch)}") == 3)
    #expect(Exposition.value(text, #"switchboard_aws_errors_total{\#(cloudWatch),code="Throttling"}"#) == 1)
    #expect(Exposition.samples(text, containing: "switchboard_aws_errors_total").count == 1)
    #expect(
      Exposition.value(text, #"switchboard_aws_call_duration_seconds_bucket{\#(cloudWatch),le="0.025"}"#) == 1
    )
    #expect(Exposition.value(text, "switchboard_aws_call_duration_seconds_count{\(cloudWatch)}") == 2)
  }

  @Test("AWS failures count under a short code: the service's own, or the kind of local failure")
  func awsErrorCodes() {
    let throttled = AWSError.service(
      AWSServiceError(
        service: "CloudWatch", code: "Throttling", message: "Rate exceeded", httpStatus: 400,
        requestID: nil))
    #expect(throttled.metricCode == "Throttling")
    #expect(
      AWSError.retriesExhausted(attempts: 5, elapsedSeconds: 9, last: throttled).metricCode == "Throttling")
    #expect(AWSError.transport(service: "SNS", detail: "refused").metricCode == "Transport")
    #expect(AWSError.timedOut(service: "SNS", seconds: 3).metricCode == "Timeout")
    #expect(AWSError.credentialsUnavailable("none").metricCode == "Credentials")
  }

  @Test(
    "Given probe observations with and without a latency, then both count and only the answered one is timed")
  func probeObservations() async {
    let metrics = SwitchboardMetrics()
    let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe http://a/health")
    let regionWide = SignalKey(service: nil, region: "us-east-1", name: "edge")

    metrics.probeObserved(
      Observation(signal: key, status: .healthy, latency: 0.02, reason: "HTTP 200", at: Date()))
    metrics.probeObserved(
      Observation(signal: key, status: .unhealthy, reason: "connection refused", at: Date()))
    metrics.probeObserved(
      Observation(signal: regionWide, status: .degraded, latency: 3, reason: "slow", at: Date()))
    let text = await metrics.renderText()

    let labels = #"service="api.example.com",region="us-east-1",signal="probe http://a/health""#
    #expect(Exposition.value(text, #"switchboard_probe_results_total{\#(labels),result="healthy"}"#) == 1)
    #expect(Exposition.value(text, #"switchboard_probe_results_total{\#(labels),result="unhealthy"}"#) == 1)
    #expect(Exposition.value(text, "switchboard_probe_latency_seconds_count{\(labels)}") == 1)
    #expect(Exposition.value(text, #"switchboard_probe_latency_seconds_bucket{\#(labels),le="0.01"}"#) == 0)
    #expect(Exposition.value(text, #"switchboard_probe_latency_seconds_bucket{\#(labels),le="0.025"}"#) == 1)
    #expect(
      Exposition.value(
        text,
        #"switchboard_probe_results_total{service="",region="us-east-1",signal="edge",result="degraded"}"#)
        == 1)
  }

  @Test("Two instances in one process keep their own registries")
  func instancesAreSeparate() async {
    let first = SwitchboardMetrics()
    let second = SwitchboardMetrics()

    first.callCompleted(
      AWSCallRecord(service: "SNS", operation: "Publish", attempts: 1, durationSeconds: 0.01, errorCode: nil))

    #expect(
      Exposition.value(
        await first.renderText(), #"switchboard_aws_calls_total{service="SNS",operation="Publish"}"#) == 1)
    #expect(await second.renderText().isEmpty)
  }

  @Test(
    "Given 1,000 probe signals (an exposition over 1 MB), when curl scrapes /metrics, then it is streamed chunked and equals the render byte for byte"
  )
  func largeScrapeIsStreamed() async throws {
    let metrics = SwitchboardMetrics()
    for index in 0..<1_000 {
      let key = SignalKey(
        service: ServiceID(rawValue: "svc-\(index).example.com"), region: "us-east-1", name: "http")
      metrics.probeObserved(
        Observation(signal: key, status: .healthy, latency: 0.002, reason: "HTTP 200", at: Date()))
    }
    let expected = await metrics.renderText()
    #expect(expected.utf8.count > MetricsRoutes.wholeBodyLimit)
    let (server, base) = try Self.serve(metrics)
    defer { Task { await server.shutdown() } }

    let scrape = try await Curl.request("GET", "\(base)/metrics", headers: Self.bearer)

    #expect(scrape.status == 200)
    #expect(scrape.headers["transfer-encoding"] == "chunked")
    #expect(scrape.headers["content-type"] == SwitchboardMetrics.contentType)
    #expect(scrape.headers["cache-control"] == "no-store")
    #expect(scrape.body == expected)
  }
}
