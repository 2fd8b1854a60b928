import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Testing

/// The health history behind the dashboard's chart (`GET /api/v1/services/{service}/observations`), who a token is
/// (`GET /api/v1/session`), and the recorder that keeps the history.
@Suite("Observations and session API")
struct ObservationAPITests {
  @Test(
    "Given observations in the store and a failing primary, when a viewer reads the observations with limit 2, then each region's signal has its verdict, last transition and two newest observations"
  )
  func observationsPerSignal() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let start = api.clock.now
    for (offset, status) in [(0.0, HealthStatus.healthy), (1, .healthy), (2, .unhealthy)] {
      try await api.store.recordObservations([
        Observation(
          signal: EngineTests.primary, status: status, latency: 0.0125 + offset / 1000,
          reason: "sample \(Int(offset))", at: start.addingTimeInterval(offset))
      ])
    }
    for _ in 0..<3 { await api.round(primary: .unhealthy) }

    let result = try await api.send(
      .GET, "/api/v1/services/api.example.com/observations?limit=2", token: APIHarness.viewer)
    #expect(result.status == 200)
    #expect(result.json["service"] as? String == "api.example.com")
    let signals = try #require(result.json["signals"] as? [[String: Any]])
    #expect(signals.map { $0["region"] as? String } == ["us-east-1", "us-west-2"])
    let primary = signals[0]
    #expect(primary["kind"] as? String == "http")
    #expect(primary["scope"] as? String == "service")
    #expect(primary["verdict"] as? String == "unhealthy")
    #expect(primary["since"] is String)
    let observations = try #require(primary["observations"] as? [[String: Any]])
    #expect(observations.map { $0["reason"] as? String } == ["sample 2", "sample 1"])
    #expect(observations.first?["status"] as? String == "unhealthy")
    #expect(observations.first?["latency_ms"] as? Double == 14.5)
    #expect((signals[1]["observations"] as? [Any])?.isEmpty == true)
  }

  @Test("Given a bad limit, an unknown service or no token, then 400, 404 and 401 as problem+json")
  func refusals() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let badLimit = try await api.send(
      .GET, "/api/v1/services/api.example.com/observations?limit=0", token: APIHarness.viewer)
    #expect(badLimit.status == 400)
    #expect((badLimit.json["detail"] as? String)?.contains("limit") == true)
    let unknown = try await api.send(.GET, "/api/v1/services/nope/observations", token: APIHarness.viewer)
    #expect(unknown.status == 404)
    let anonymous = try await api.send(.GET, "/api/v1/services/api.example.com/observations", token: nil)
    #expect(anonymous.status == 401)
  }

  @Test(
    "Given each role's token, when it asks for the session, then it learns its name and role; no token is 401"
  )
  func session() async throws {
    let api = try APIHarness()
    let viewer = try await api.send(.GET, "/api/v1/session", token: APIHarness.viewer)
    #expect(viewer.status == 200)
    #expect(viewer.json["name"] as? String == "ada")
    #expect(viewer.json["role"] as? String == "viewer")
    #expect(
      try await api.send(.GET, "/api/v1/session", token: APIHarness.operatorToken).json["role"] as? String
        == "operator")
    #expect(try await api.send(.GET, "/api/v1/session", token: nil).status == 401)
    #expect(try await api.send(.GET, "/api/v1/session", token: "wrong").status == 401)
  }

  @Test(
    "Given probe observations, when the recorder flushes, then the store's history has them and the next observer heard each"
  )
  func recorderKeepsTheHistory() async throws {
    let api = try APIHarness()
    let heard = HeardObservations()
    let recorder = HealthHistoryRecorder(store: api.store, forwardingTo: heard, interval: 3600)
    for index in 0..<3 {
      recorder.probeObserved(
        Observation(
          signal: EngineTests.primary, status: .healthy, latency: 0.01, reason: "probe \(index)",
          at: api.clock.now.addingTimeInterval(Double(index))))
    }
    await recorder.flush()
    let stored = try await api.store.recentObservations(signal: EngineTests.primary, limit: 10)
    #expect(stored.map(\.reason) == ["probe 2", "probe 1", "probe 0"])
    #expect(heard.count == 3)
  }
}

/// Counts the probe observations forwarded to it.
final class HeardObservations: EngineObserver, @unchecked Sendable {
  private let lock = NSLock()
  private var heard = 0
  var count: Int { lock.withLock { heard } }
  func workflowFinished(_ workflow: WorkflowStatus) {}
  func probeObserved(_ observation: Observation) { lock.withLock { heard += 1 } }
}
