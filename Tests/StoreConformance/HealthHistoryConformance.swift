import FailoverCore
import Foundation
import Testing

/// Recorded health observations (`HealthHistory`); the bound per signal is the backend's setting.
enum HealthHistoryConformance {
  static let probe = SignalKey(service: "api.example.com", region: "us-east-1", name: "https")
  static let alarm = SignalKey(service: nil, region: "us-east-1", name: "regional-alarm")

  static func sample(_ signal: SignalKey, _ n: Int) -> Observation {
    Observation(
      signal: signal, status: n % 4 == 0 ? .unhealthy : .healthy, latency: 0.05 * Double(n),
      reason: "sample \(n)", at: StoreFixture.at(Double(n)))
  }

  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given observations of two signals, when one signal's are read, then they come newest first, at most the limit"
    ) { backend in
      let store = try await backend.makeStore()

      try await store.recordObservations((1...6).map { sample(probe, $0) })
      try await store.recordObservations((1...3).map { sample(alarm, $0) })

      let recent = try await store.recentObservations(signal: probe, limit: 100)
      #expect(recent.map(\.reason) == (1...6).reversed().map { "sample \($0)" })
      #expect(recent.map(\.latency) == (1...6).reversed().map { sample(probe, $0).latency })
      #expect(recent.map(\.at) == (1...6).reversed().map { sample(probe, $0).at })
      #expect(recent == (1...6).reversed().map { sample(probe, $0) })
      #expect(
        try await store.recentObservations(signal: alarm, limit: 2) == [sample(alarm, 3), sample(alarm, 2)])
    },
    StoreConformanceCheck(
      "Given observations in two regions, when a service's history in one region is read, then it lists its own "
        + "signals, and region-wide ones under service nil"
    ) { backend in
      let store = try await backend.makeStore()
      let latency = SignalKey(service: "api.example.com", region: "us-east-1", name: "p99")
      let west = SignalKey(service: "api.example.com", region: "us-west-2", name: "https")
      try await store.recordObservations([
        sample(probe, 1), sample(latency, 2), sample(west, 3), sample(alarm, 4),
      ])

      let api = try await store.recentObservations(
        service: "api.example.com", region: "us-east-1", limit: 100)
      let regional = try await store.recentObservations(service: nil, region: "us-east-1", limit: 100)

      #expect(api == [sample(latency, 2), sample(probe, 1)])
      #expect(regional == [sample(alarm, 4)])
      #expect(
        try await store.recentObservations(service: "api.example.com", region: "eu-west-1", limit: 100)
          .isEmpty)
    },
  ]
}
