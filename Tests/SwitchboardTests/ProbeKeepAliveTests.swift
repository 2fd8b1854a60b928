import Configuration
import FailoverCore
import Foundation
import Probing
import Switchboard
import Testing

/// Probe connections kept alive between checks of one origin, and what happens when the server closes them.
@Suite("HTTP prober keep-alive")
struct ProbeKeepAliveTests {
  static let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")

  static func check(_ prober: HTTPProber, _ url: String) async -> Observation {
    await prober.probe(HTTPProbeSpec(url: url, responseTimeout: 5), key: key)
  }

  @Test(
    "Given a server that keeps connections alive, when one target is checked 5 times, then every check is healthy on one connection"
  )
  func reusesOneConnection() async throws {
    let server = Loopback.CountingServer()
    defer { server.stop() }
    let prober = HTTPProber(laneCount: 1)
    for _ in 0..<5 {
      let observation = await Self.check(prober, server.url)
      #expect(observation.status == .healthy, "\(observation.reason)")
    }
    #expect(server.connections == 1)
    #expect(server.requests.count == 5)
    #expect(!server.requests.contains { $0.lowercased().contains("connection: close") })
  }

  @Test(
    "Given keep-alive turned off, when one target is checked 3 times, then each check opens a connection and asks the server to close it"
  )
  func keepAliveOff() async throws {
    let server = Loopback.CountingServer()
    defer { server.stop() }
    let prober = HTTPProber(laneCount: 1, keepAlive: false)
    for _ in 0..<3 {
      #expect(await Self.check(prober, server.url).status == .healthy)
    }
    #expect(server.connections == 3)
    #expect(server.requests.allSatisfy { $0.contains("Connection: close") })
  }

  @Test(
    "Given a pooled connection the server closes as the next request arrives, when that check runs, then it is retried once on a fresh connection and is healthy"
  )
  func closedPooledConnectionRetriedOnce() async throws {
    // Every connection answers its first request and closes, unannounced, at its second.
    let server = Loopback.CountingServer { _, request in request == 0 ? .ok : .close }
    defer { server.stop() }
    let prober = HTTPProber(laneCount: 1)
    for _ in 0..<3 {
      let observation = await Self.check(prober, server.url)
      #expect(observation.status == .healthy, "\(observation.reason)")
    }
    // Check 1 opens connection 0; checks 2 and 3 each find their pooled connection closed and retry.
    #expect(server.connections == 3)
    #expect(server.requests.count == 5)
  }

  @Test(
    "Given a pooled connection closed at the next request and a fresh connection closed too, when the check runs, then it fails after one retry"
  )
  func retryFailureIsAFailure() async throws {
    let server = Loopback.CountingServer { connection, request in
      connection == 0 && request == 0 ? .ok : .close
    }
    defer { server.stop() }
    let prober = HTTPProber(laneCount: 1)
    #expect(await Self.check(prober, server.url).status == .healthy)
    let second = await Self.check(prober, server.url)
    #expect(second.status == .unhealthy)
    #expect(second.reason.contains("closed without a complete response"), "\(second.reason)")
    #expect(server.connections == 2)
  }

  @Test(
    "Given a response with Connection: close, when the target is checked again, then a new connection is opened"
  )
  func connectionCloseIsHonoured() async throws {
    let server = Loopback.CountingServer { _, _ in .okThenClose }
    defer { server.stop() }
    let prober = HTTPProber(laneCount: 1)
    for _ in 0..<3 {
      #expect(await Self.check(prober, server.url).status == .healthy)
    }
    #expect(server.connections == 3)
  }

  @Test(
    "Given a cap of 1 connection and an idle connection to one origin, when another origin is checked, then the idle one is closed to make room"
  )
  func idleConnectionsCountTowardsTheCap() async throws {
    let first = Loopback.CountingServer()
    let second = Loopback.CountingServer()
    defer {
      first.stop()
      second.stop()
    }
    let prober = HTTPProber(laneCount: 1, maxInFlight: 1)
    #expect(await Self.check(prober, first.url).status == .healthy)
    #expect(await Self.check(prober, second.url).status == .healthy)
    #expect(await Self.check(prober, first.url).status == .healthy)
    #expect(first.connections == 2)
    #expect(second.connections == 1)
    #expect(prober.withoutSlot().refused == 0)
  }

  @Test(
    "Given 300 checks of one origin at once, when they have finished, then at most 256 connections stay open for later checks"
  )
  func idleConnectionsPerOriginAreBounded() async throws {
    let server = Loopback.CountingServer()
    defer { server.stop() }
    let prober = HTTPProber(laneCount: 1)
    let results = await withTaskGroup(of: Observation.self) { group in
      for index in 0..<300 { group.addTask { await Self.check(prober, server.url + "?n=\(index)") } }
      return await group.reduce(into: [Observation]()) { $0.append($1) }
    }
    #expect(results.allSatisfy { $0.status == .healthy })
    #expect(server.connections > 256, "the checks overlapped on \(server.connections) connections")
    #expect(await eventually(timeout: 10) { server.open <= 256 }, "\(server.open) connections open")
  }

  @Test(
    "Given 20 periodic targets on one origin every second, when 40 checks ran, then fewer connections than targets served every check"
  )
  func periodicTargetsShareConnections() async throws {
    let server = Loopback.CountingServer()
    defer { server.stop() }
    let runner = ProbeRunner(prober: HTTPProber(laneCount: 1)) { _ in }
    runner.update(
      (0..<20).map {
        ProbeTarget(
          key: SignalKey(service: ServiceID("s\($0)"), region: "us-east-1", name: "probe"),
          spec: HTTPProbeSpec(url: server.url + "?n=\($0)", interval: 1, responseTimeout: 2))
      })
    let ran = await eventually(timeout: 10) { runner.statistics().completed >= 40 }
    runner.stop()
    let stats = runner.statistics()
    #expect(ran, "\(stats)")
    #expect(server.connections < 20, "\(server.connections) connections for \(stats.completed) checks")
  }

  @Test(
    "Given probes.keep_alive, then the engine's prober setting follows it (the prober's default, on, when left out); a non-boolean is a problem"
  )
  func configurationKey() throws {
    let example = try String(
      contentsOf: ConfigTests.examples.appendingPathComponent("two-region.yaml"), encoding: .utf8)
    #expect(EngineSettings(config: try SwitchboardConfig.parse(yaml: example)).probeKeepAlive == nil)
    #expect(HTTPProber.defaultKeepAlive)
    let off = example + "probes:\n  keep_alive: false\n"
    #expect(EngineSettings(config: try SwitchboardConfig.parse(yaml: off)).probeKeepAlive == false)
    let problems = ConfigValidator.validate(yaml: example + "probes:\n  keep_alive: sometimes\n")
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.message.contains("probes.keep_alive") == true, "\(problems)")
  }
}
