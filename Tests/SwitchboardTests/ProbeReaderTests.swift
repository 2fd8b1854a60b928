import FailoverCore
import Foundation
import HTTPServer
import Probing
import Switchboard
import Synchronization
import Testing

/// Response framing, URL parsing and schedule changes.
@Suite("HTTP prober framing and schedule")
struct ProbeReaderTests {
  static let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")

  static func streamingTarget() throws -> (HTTPServer, String) {
    var router = Router()
    router.get("/chunked") { _ in
      Response(
        status: .ok, headers: ["Content-Type": "application/json"],
        body: .stream { writer in
          try await writer.write(#"{"status":"#)
          try await writer.write(#""unhealthy","region":"us-east-1"}"#)
        })
    }
    router.get("/endless") { _ in
      Response(
        status: .ok, headers: ["Content-Type": "text/plain"],
        body: .stream { writer in
          try await writer.write("healthy so far")
          try await Task.sleep(nanoseconds: 10_000_000_000)
        })
    }
    return try Loopback.serve(router)
  }

  @Test("Given a chunked body, the prober de-chunks it before judging (a self-reported unhealthy counts)")
  func chunked() async throws {
    let (server, base) = try Self.streamingTarget()
    defer { Task { await server.shutdown(gracePeriod: .milliseconds(100)) } }
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(base)/chunked", responseTimeout: 10), key: Self.key)
    #expect(observation.status == .unhealthy)
    #expect(observation.reason.contains("reports itself unhealthy"))
  }

  @Test("Given a body that never ends, the prober judges what arrived within the response timeout")
  func endless() async throws {
    let (server, base) = try Self.streamingTarget()
    defer { Task { await server.shutdown(gracePeriod: .milliseconds(100)) } }
    let started = Date()
    let observation = await HTTPProber().probe(
      HTTPProbeSpec(url: "\(base)/endless", responseTimeout: 2, bodyMatch: "healthy"), key: Self.key)
    #expect(observation.status == .healthy, "\(observation.reason)")
    #expect(Date().timeIntervalSince(started) < 6)
  }

  @Test("Probe URLs: default ports, explicit ports, IPv6 literals, queries; other schemes are refused")
  func urls() {
    let plain = ProbeURL("http://example.com")
    #expect(plain?.port == 80 && plain?.target == "/" && plain?.host == "example.com")
    let secure = ProbeURL("https://example.com/health")
    #expect(secure?.scheme == "https" && secure?.port == 443)
    let v6 = ProbeURL("http://[::1]:9001/health?deep=1#frag")
    #expect(v6?.host == "::1" && v6?.port == 9001 && v6?.target == "/health?deep=1")
    #expect(ProbeURL("ftp://example.com") == nil)
    #expect(ProbeURL("http://example.com:99999/") == nil)
  }

  @Test(
    "Given two periodic targets, when one is removed from the schedule, then only the other keeps reporting")
  func scheduleUpdate() async throws {
    let (_, server, base) = try Loopback.sampleRegion("us-east-1")
    defer { Task { await server.shutdown() } }
    let counts = Mutex<[String: Int]>([:])
    let runner = ProbeRunner(prober: HTTPProber()) { observation in
      counts.withLock { $0[observation.signal.name, default: 0] += 1 }
    }
    let kept = ProbeTarget(
      key: SignalKey(service: "a", region: "r", name: "kept"),
      spec: HTTPProbeSpec(url: "\(base)/health?k", interval: 1, responseTimeout: 1))
    let removed = ProbeTarget(
      key: SignalKey(service: "b", region: "r", name: "removed"),
      spec: HTTPProbeSpec(url: "\(base)/health?r", interval: 1, responseTimeout: 1))
    runner.update([kept, removed])
    try await Task.sleep(nanoseconds: 1_500_000_000)
    runner.update([kept])
    try await Task.sleep(nanoseconds: 1_500_000_000)  // a probe in flight ends within its 1 s timeout
    let before = counts.withLock { $0 }
    try await Task.sleep(nanoseconds: 2_000_000_000)
    runner.stop()
    let after = counts.withLock { $0 }
    #expect((before["removed"] ?? 0) >= 1)
    #expect(after["removed"] == before["removed"])
    #expect((after["kept"] ?? 0) >= (before["kept"] ?? 0) + 2)
  }
}
