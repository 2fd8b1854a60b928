import Etcd
import FailoverCore
import Foundation
import StoreConformance
import Testing

@Suite("etcd store health history")
struct EtcdStoreHealthHistoryTests {
  static let signal = SignalKey(service: "api.example.com", region: "us-east-1", name: "https")

  static func sample(_ n: Int, signal: SignalKey = signal) -> Observation {
    Observation(
      signal: signal, status: .healthy, latency: 0.01, reason: "sample \(n)", at: StoreFixture.at(Double(n)))
  }

  @Test(
    "Given a bound of 10 per signal, when 40 observations arrive one by one, then at most 11 are kept, the newest, and another signal is untouched"
  )
  func boundedPerSignal() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let store = EtcdStore(
        client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5),
        prefix: "/history-\(UUID().uuidString.prefix(8))/", observationsPerSignal: 10)
      let other = SignalKey(service: "api.example.com", region: "us-east-1", name: "p99")
      try await store.recordObservations([Self.sample(0, signal: other)])

      for n in 1...40 { try await store.recordObservations([Self.sample(n)]) }

      let kept = try await store.recentObservations(signal: Self.signal, limit: 100)
      #expect((10...11).contains(kept.count))
      #expect(kept.map(\.reason) == (41 - kept.count...40).reversed().map { "sample \($0)" })
      #expect(try await store.recentObservations(signal: other, limit: 100).count == 1)
    }
  }

  @Test(
    "Given 300 observations in one batch, when recorded, then all are kept across transactions of at most 120"
  )
  func largeBatchSplits() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let store = EtcdStore(
        client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5),
        prefix: "/history-\(UUID().uuidString.prefix(8))/")
      let signals = (0..<100).map {
        SignalKey(service: "api.example.com", region: "us-east-1", name: "s\($0)")
      }

      try await store.recordObservations((0..<300).map { Self.sample($0, signal: signals[$0 % 100]) })

      #expect(
        try await store.recentObservations(service: "api.example.com", region: "us-east-1", limit: 1000).count
          == 300)
      #expect(
        try await store.recentObservations(signal: signals[7], limit: 10).map(\.reason) == [
          "sample 207", "sample 107", "sample 7",
        ])
    }
  }
}
