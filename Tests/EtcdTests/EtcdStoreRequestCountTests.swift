import Etcd
import FailoverCore
import Foundation
import StoreConformance
import Synchronization
import Testing

/// Counts the requests an etcd client sends, by path, on top of the real transport.
final class CountingTransport: EtcdTransport {
  private let inner = EtcdSocketTransport.plain
  private let counts = Mutex<[String: Int]>([:])

  func post(url: URL, headers: [String: String], body: Data, timeout: TimeInterval) async throws -> (
    Int, Data
  ) {
    counts.withLock { $0[url.path, default: 0] += 1 }
    return try await inner.post(url: url, headers: headers, body: body, timeout: timeout)
  }

  /// How many requests were sent since the last call, in all.
  func take() -> Int {
    counts.withLock { counts in
      defer { counts = [:] }
      return counts.values.reduce(0, +)
    }
  }
}

@Suite("etcd store request costs")
struct EtcdStoreRequestCountTests {
  @Test(
    "Given a store that wrote before, when it appends an event, then it costs one request; a journal step costs two (its workflow read and the transaction)"
  )
  func requestsPerAppendAndStep() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let transport = CountingTransport()
      let store = EtcdStore(
        client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5, transport: transport),
        prefix: "/costs-\(UUID().uuidString.prefix(8))/")
      try await store.begin(StoreFixture.plan("wf-1"), events: [StoreFixture.event(at: 0)])
      _ = transport.take()

      try await store.append([StoreFixture.event(at: 1)])
      let append = transport.take()
      try await store.append(
        StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .started, at: 2),
        events: [StoreFixture.event(.workflowStepStarted, at: 2)])
      let step = transport.take()
      try await store.finish(
        "wf-1", outcome: .succeeded, timings: WorkflowTimings(decidedAt: StoreFixture.at(0)),
        events: [StoreFixture.event(.workflowSucceeded, at: 3)])
      let finish = transport.take()

      #expect(append == 1)
      #expect(step == 2)
      #expect(finish == 2)
      #expect(try await store.verifyChain().isIntact)
    }
  }
}
