import AWS
import FailoverCore
import Foundation
import Testing

@Suite("Retries through a fault-injecting proxy in front of moto_server", .serialized)
struct FaultInjectionTests {
  static let moto = MotoServer()

  private func setUp() async throws -> (MotoContext, FaultProxy) {
    let context = try await MotoContext.make(Self.moto)
    let proxy = try await FaultProxy(upstreamPort: await Self.moto.port)
    return (context, proxy)
  }

  private static let record = DNSRecord(name: "www.example.com", type: "A", ttl: 60, values: ["192.0.2.1"])

  @Test(
    "Given throttling, a 503 and a reset on a change batch, when submitted, then it succeeds and applies once"
  )
  func changeBatchSurvivesFaults() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    let zoneID = try await context.route53().createHostedZone(name: "example.com", callerReference: "z").id
    try proxy.inject(["throttle:Throttling POST /2013", "status:503 POST /2013", "reset POST /2013"])

    let started = Date()
    let receipt = try await context.route53(url: proxy.url).submit(
      DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.create, Self.record)]))
    let elapsed = Date().timeIntervalSince(started)

    #expect(receipt.status == .inSync)
    #expect(proxy.requests.filter { $0.hasPrefix("FAULT") }.count == 3)
    #expect(proxy.forwarded.filter { $0.contains("POST /2013") }.count == 1)
    #expect(try await context.route53().records(zoneID: zoneID, name: "www.example.com") == [Self.record])
    #expect(elapsed < 10, "three retries with 50 ms base backoff took \(elapsed) s")
  }

  @Test(
    "Given each retryable answer, when a read meets it once, then the client retries and succeeds",
    arguments: [
      "throttle:Throttling", "throttle:ThrottlingException", "throttle:PriorRequestNotComplete",
      "throttle:RequestLimitExceeded", "status:429", "status:500", "status:503", "reset",
    ])
  func retryableAnswers(_ fault: String) async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject([fault])

    _ = try await context.route53(url: proxy.url).listHostedZonesByName()
    #expect(proxy.requests.count == 2)
    #expect(proxy.requests.first?.hasPrefix("FAULT") == true)
    #expect(proxy.forwarded.count == 1)
  }

  @Test("Given a 4xx validation error, when it comes back, then the client does not retry")
  func validationErrorNotRetried() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject(["throttle:ValidationError"])

    let error = await #expect(throws: AWSError.self) {
      try await context.cloudWatch(url: proxy.url).describeAlarms(prefix: "switchboard-")
    }
    #expect(error?.code == "ValidationError")
    guard case .service? = error else {
      Issue.record("a validation error must surface as is, got \(String(describing: error))")
      return
    }
    #expect(proxy.requests.count == 1)
  }

  @Test(
    "Given 503s on every attempt, when publishing, then the client gives up within its bound and nothing lands"
  )
  func givesUpWithinBound() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject(Array(repeating: "status:503", count: 6))
    let retry = RetryPolicy(
      maxAttempts: 3, baseDelay: 0.1, maxBackoff: 1, maxTotalTime: 10, perCallTimeout: 5)
    let datum = MetricDatum(name: "Failovers", value: 1, unit: "Count", timestamp: Date())

    let started = Date()
    let error = await #expect(throws: AWSError.self) {
      try await context.cloudWatch(url: proxy.url, retry: retry).publish(namespace: "Switchboard", [datum])
    }
    let elapsed = Date().timeIntervalSince(started)

    guard case .retriesExhausted(let attempts, _, let last)? = error else {
      Issue.record("expected retriesExhausted, got \(String(describing: error))")
      return
    }
    #expect(attempts == 3)
    #expect(last.serviceError?.httpStatus == 503)
    #expect(error?.description.contains("Gave up after 3 attempt(s)") == true)
    #expect(elapsed < 10)
    #expect(proxy.forwarded.isEmpty)
  }

  @Test("Given a stalled answer, when the per-call timeout passes, then the client abandons it and retries")
  func perCallTimeout() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject(["stall:30"])
    let retry = RetryPolicy(
      maxAttempts: 3, baseDelay: 0.05, maxBackoff: 0.2, maxTotalTime: 20, perCallTimeout: 1.5)

    let started = Date()
    _ = try await context.cloudWatch(url: proxy.url, retry: retry).describeAlarms(prefix: "switchboard-")
    let elapsed = Date().timeIntervalSince(started)

    #expect(elapsed >= 1.4)
    // The proxy holds the request for 30 s: finishing well before proves the call was abandoned.
    #expect(elapsed < 15, "the stalled call should be abandoned after 1.5 s, took \(elapsed) s")
    #expect(proxy.forwarded.count == 1)
  }

  @Test(
    "Given every attempt stalls, when the total time runs out, then the client stops with a timeout error")
  func totalTimeBound() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject(Array(repeating: "stall:30", count: 5))
    let retry = RetryPolicy(
      maxAttempts: 10, baseDelay: 0.05, maxBackoff: 0.2, maxTotalTime: 3, perCallTimeout: 1)

    let started = Date()
    let error = await #expect(throws: AWSError.self) {
      try await context.cloudWatch(url: proxy.url, retry: retry).describeAlarms(prefix: "switchboard-")
    }
    let elapsed = Date().timeIntervalSince(started)

    guard case .retriesExhausted(_, _, .timedOut)? = error else {
      Issue.record("expected retriesExhausted after timeouts, got \(String(describing: error))")
      return
    }
    #expect(elapsed < 10, "the total bound is 3 s, took \(elapsed) s")
  }

  @Test(
    "Given a delay shorter than the timeout, when reading, then the call simply takes longer and succeeds")
  func toleratesDelay() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject(["delay:0.8"])

    let started = Date()
    _ = try await context.route53(url: proxy.url).listHostedZonesByName()
    #expect(Date().timeIntervalSince(started) >= 0.8)
    #expect(proxy.forwarded.count == 1)
  }

  @Test(
    "Given the answer to an UPSERT is lost after moto applied it, when retried, then the zone holds it once")
  func lostAnswerUpsertIsIdempotent() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    let zoneID = try await context.route53().createHostedZone(name: "example.com", callerReference: "z").id
    try proxy.inject(["lost POST /2013"])

    _ = try await context.route53(url: proxy.url).submit(
      DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.upsert, Self.record)]))

    #expect(proxy.forwarded.filter { $0.contains("POST /2013") }.count == 2)
    #expect(try await context.route53().records(zoneID: zoneID, name: "www.example.com") == [Self.record])
  }

  @Test(
    "Given resets and throttling on PutMetricData, when publishing, then each datum is stored exactly once")
  func metricsNotDuplicated() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    try proxy.inject(["reset PutMetricData", "throttle:Throttling PutMetricData"])
    let now = Date()
    let data = (0..<5).map {
      MetricDatum(
        name: "Probes", dimensions: ["Service": "api"], value: 1, unit: "Count",
        timestamp: now.addingTimeInterval(Double(-$0)))
    }

    try await context.cloudWatch(url: proxy.url).publish(namespace: "Switchboard", data)

    let series = try await context.cloudWatch().getMetricData(
      [
        MetricQuery(
          id: "n", namespace: "Switchboard", metricName: "Probes", dimensions: ["Service": "api"],
          period: 3600, statistic: "SampleCount")
      ],
      start: now.addingTimeInterval(-3600), end: now.addingTimeInterval(60))
    #expect(series.first?.points.map(\.value).reduce(0, +) == 5)
    #expect(proxy.forwarded.count == 1)
  }

  @Test(
    "Given a change that stays PENDING, when waiting for INSYNC, then polling stops at the deadline with an error"
  )
  func inSyncDeadline() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    let zoneID = try await context.route53().createHostedZone(name: "example.com", callerReference: "z").id
    let receipt = try await context.route53().submit(
      DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.create, Self.record)]))
    try proxy.inject(Array(repeating: "rewrite:INSYNC=PENDING GET /2013-04-01/change", count: 50))

    let started = Date()
    let error = await #expect(throws: AWSError.self) {
      try await context.route53(url: proxy.url).waitUntilInSync(
        changeID: receipt.id, timeout: 1.5, pollInterval: 0.3)
    }
    let elapsed = Date().timeIntervalSince(started)

    guard case .changeNotInSync(let id, _)? = error else {
      Issue.record("expected changeNotInSync, got \(String(describing: error))")
      return
    }
    #expect(id == receipt.id)
    #expect(elapsed < 5)
    #expect(proxy.requests.count >= 3)
  }

  @Test("Given a change PENDING for two polls, when waiting for INSYNC, then the wait ends once it is INSYNC")
  func inSyncAfterPending() async throws {
    let (context, proxy) = try await setUp()
    defer { proxy.stop() }
    let zoneID = try await context.route53().createHostedZone(name: "example.com", callerReference: "z").id
    let receipt = try await context.route53().submit(
      DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.create, Self.record)]))
    try proxy.inject(Array(repeating: "rewrite:INSYNC=PENDING GET /2013-04-01/change", count: 2))

    try await context.route53(url: proxy.url).waitUntilInSync(
      changeID: receipt.id, timeout: 30, pollInterval: 0.2)
    #expect(proxy.requests.filter { $0.hasPrefix("FAULT rewrite") }.count == 2)
    #expect(proxy.forwarded.count == 3)
  }
}
