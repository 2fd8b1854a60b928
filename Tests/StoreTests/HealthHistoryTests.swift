import FailoverCore
import Foundation
import Store
import Testing

@Suite("Bounded health history")
struct HealthHistoryTests {
  static let probe = SignalKey(service: "api.example.com", region: "us-east-1", name: "https")
  static let alarm = SignalKey(service: nil, region: "us-east-1", name: "regional-alarm")

  static func sample(_ signal: SignalKey, _ n: Int) -> Observation {
    Observation(
      signal: signal, status: n % 4 == 0 ? .unhealthy : .healthy, latency: 0.05 * Double(n),
      reason: "sample \(n)", at: Fixture.at(Double(n)))
  }

  @Test("Each signal keeps only its last N observations, newest first")
  func bounded() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path(), observationsPerSignal: 5)

    for n in 1...12 { try await store.recordObservation(Self.sample(Self.probe, n)) }
    try await store.recordObservations((1...3).map { Self.sample(Self.alarm, $0) })

    #expect(
      try await store.recentObservations(signal: Self.probe)
        == (8...12).reversed().map { Self.sample(Self.probe, $0) })
    #expect(
      try await store.recentObservations(signal: Self.alarm, limit: 2) == [
        Self.sample(Self.alarm, 3), Self.sample(Self.alarm, 2),
      ])
    #expect(try rawInt(folder.path(), "SELECT COUNT(*) FROM observations") == 8)
  }

  @Test("A batch larger than the bound keeps its newest observations")
  func largeBatch() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path(), observationsPerSignal: 3)

    try await store.recordObservations((1...10).map { Self.sample(Self.probe, $0) })

    #expect(
      try await store.recentObservations(signal: Self.probe).map(\.reason) == [
        "sample 10", "sample 9", "sample 8",
      ])
  }

  @Test("The default bound is 1000 per signal")
  func defaultBound() throws {
    let folder = try TemporaryFolder()
    #expect(try SQLiteStore(path: folder.path()).observationsPerSignal == 1000)
  }
}
