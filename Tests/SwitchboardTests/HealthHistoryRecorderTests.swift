import FailoverCore
import Foundation
import Synchronization
import Testing

@testable import Switchboard

/// The health-history recorder buffers observations and writes them in batches (one transaction each).
@Suite("Health-history recorder")
struct HealthHistoryRecorderTests {
  static let signal = SignalKey(service: "api.example.com", region: "us-east-1", name: "https")

  static func observation(_ n: Int) -> Observation {
    Observation(
      signal: signal, status: .healthy, latency: 0.001, reason: "sample \(n)",
      at: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
  }

  @Test(
    "Given 10,000 targets' second of observations, when the batch is written, then it is one write with every observation"
  )
  func oneWritePerBatch() async {
    let store = BatchRecordingHistory()
    let recorder = HealthHistoryRecorder(store: store, forwardingTo: nil, interval: 3600)

    for n in 0..<10_000 { recorder.probeObserved(Self.observation(n)) }
    await recorder.flush()

    #expect(store.batches.map(\.count) == [10_000])
  }

  @Test(
    "Given a store that fell behind, when the buffer overflows, then the oldest eighth is dropped at once and the newest are kept"
  )
  func overflowDropsOldestEighth() async {
    let store = BatchRecordingHistory()
    let recorder = HealthHistoryRecorder(store: store, forwardingTo: nil, interval: 3600)
    let limit = HealthHistoryRecorder.maximumBuffered

    for n in 0...limit { recorder.probeObserved(Self.observation(n)) }
    await recorder.flush()

    let batch = store.batches.first ?? []
    #expect(batch.count == limit + 1 - limit / 8)
    #expect(batch.first?.reason == "sample \(limit / 8)")
    #expect(batch.last?.reason == "sample \(limit)")
  }
}

/// A health history that keeps the batches it was asked to write.
final class BatchRecordingHistory: HealthHistory {
  private let written = Mutex<[[Observation]]>([])

  var batches: [[Observation]] { written.withLock { $0 } }

  func recordObservations(_ observations: [Observation]) async throws {
    written.withLock { $0.append(observations) }
  }

  func recentObservations(signal: SignalKey, limit: Int) async throws -> [Observation] { [] }

  func recentObservations(service: ServiceID?, region: RegionID, limit: Int) async throws -> [Observation] {
    []
  }
}
