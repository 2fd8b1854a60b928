import FailoverCore
import Foundation
import HTTPServer
import Probing
import Switchboard
import Synchronization
import Testing

/// The HTTP prober against real servers on loopback.
@Suite("HTTP prober")
struct ProbeTests {
  static let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")

  /// A server with one route per behaviour the prober must judge.
  static func target() throws -> (HTTPServer, String) {
    var router = Router()
    router.get("/health") { _ in .json(Array(#"{"status":"healthy","region":"us-east-1"}"#.utf8)) }
    router.get("/down") { _ in .json(Array(#"{"status":"unhealthy"}"#.utf8), status: .serviceUnavailable) }
    router.get(
      "/slow",
      async: { _ in
        try await Task.sleep(nanoseconds: 3_000_000_000)
        return .text("healthy, eventually")
      })
    router.get("/plain") { _ in .text("all good") }
    router.get("/late-match") { _ in .text(String(repeating: "x", count: 6000) + "healthy") }
    return try Loopback.serve(router)
  }

  @Test("Given a healthy endpoint, the probe is healthy with its latency")
  func healthy() async throws {
    let (server, base) = try Self.target()
    defer { Task { await server.shutdown() } }
    let prober = HTTPProber()
    let observation = await prober.probe(
      HTTPProbeSpec(url: "\(base)/health", responseTimeout: 10), key: Self.key)
    #expect(observation.status == .healthy)
    #expect(observation.reason.contains("answered HTTP 200"))
    #expect((observation.latency ?? -1) >= 0 && (observation.latency ?? 99) < 10)
  }

  @Test("Given an endpoint answering 503, the probe is unhealthy and names the status")
  func serviceUnavailable() async throws {
    let (server, base) = try Self.target()
    defer { Task { await server.shutdown() } }
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(base)/down", responseTimeout: 10), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("HTTP 503"))
  }

  @Test("Given an endpoint slower than the response timeout, the probe times out and says after how long")
  func slow() async throws {
    let (server, base) = try Self.target()
    defer { Task { await server.shutdown(gracePeriod: .milliseconds(100)) } }
    let started = Date()
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(base)/slow", responseTimeout: 0.5), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("timed out after 0.5 s waiting for the response"))
    #expect(Date().timeIntervalSince(started) < 5)
  }

  @Test("Given a body without the match string, the probe is unhealthy and says what was missing")
  func wrongBody() async throws {
    let (server, base) = try Self.target()
    defer { Task { await server.shutdown() } }
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(base)/plain", responseTimeout: 10, bodyMatch: "healthy"), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("do not contain \"healthy\""))
  }

  @Test(
    "Given the match string only after the first 5,120 bytes, the probe does not see it (Route53 semantics)")
  func matchBeyondLimit() async throws {
    let (server, base) = try Self.target()
    defer { Task { await server.shutdown() } }
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(base)/late-match", responseTimeout: 10, bodyMatch: "healthy"), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("first 5120 bytes"))
  }

  @Test("Given a port with nothing listening, the probe reports connection refused")
  func refused() async throws {
    let port = Loopback.closedPort()
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "http://127.0.0.1:\(port)/health"), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("connection refused"))
  }

  @Test("Given a server that accepts and never answers, the probe times out within the response timeout")
  func silentServer() async throws {
    let listener = Loopback.SilentListener()
    let started = Date()
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "http://127.0.0.1:\(listener.port)/health", responseTimeout: 0.5), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("timed out after 0.5 s"))
    #expect(Date().timeIntervalSince(started) < 5)
    withExtendedLifetime(listener) {}
  }

  @Test("Given a host name, the prober resolves it (localhost)")
  func hostName() async throws {
    let (server, base) = try Self.target()
    defer { Task { await server.shutdown() } }
    let url = base.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/health"
    let observation = await HTTPProber().probe(HTTPProbeSpec(url: url, responseTimeout: 10), key: Self.key)
    #expect(observation.status == .healthy)
  }

  @Test("Given 50 periodic targets at 1 s, the runner probes each about once a second and misses no interval")
  func periodic() async throws {
    let (region, server, base) = try Loopback.sampleRegion("us-east-1")
    defer { Task { await server.shutdown() } }
    _ = region
    let counts = Mutex<[SignalKey: Int]>([:])
    let runner = ProbeRunner(prober: HTTPProber()) { observation in
      counts.withLock { $0[observation.signal, default: 0] += observation.status == .healthy ? 1 : 0 }
    }
    let targets = (0..<50).map {
      ProbeTarget(
        key: SignalKey(service: ServiceID("s\($0)"), region: "us-east-1", name: "probe \($0)"),
        spec: HTTPProbeSpec(url: "\(base)/health?n=\($0)", interval: 1))
    }
    runner.update(targets)
    try await Task.sleep(nanoseconds: 3_500_000_000)
    runner.stop()
    let stats = runner.statistics()
    let seen = counts.withLock { $0 }
    #expect(seen.count == 50)
    #expect(seen.values.allSatisfy { $0 >= 2 && $0 <= 4 }, "\(seen.values.sorted())")
    #expect(stats.missedIntervals == 0)
    #expect(stats.started >= 150)
  }
}
