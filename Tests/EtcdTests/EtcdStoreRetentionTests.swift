import Etcd
import FailoverCore
import Foundation
import Store
import StoreConformance
import Testing

@Suite("etcd store retention")
struct EtcdStoreRetentionTests {
  /// A fresh store holding one event per hour for `hours` hours (event n at hour n).
  static func hourlyEvents(_ urls: [URL], hours: Int) async throws -> EtcdStore {
    let store = EtcdStore(
      client: EtcdClient(endpoints: urls, timeout: 5), prefix: "/retention-\(UUID().uuidString.prefix(8))/")
    try await store.append((1...hours).map { StoreFixture.event(at: Double($0) * 3600, "Event \($0).") })
    return store
  }

  @Test(
    "Given 10 hourly events, when those older than hour 7 are pruned twice and one is appended, then the checkpoint holds the last pruned event, the newest is never pruned, and the chain verifies"
  )
  func prunedChainVerifiesFromCheckpoint() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let store = try await Self.hourlyEvents(cluster.clientURLs, hours: 10)
      let sixth = try await store.events(after: 5, limit: 1)[0]
      let head = try await store.events(after: 9, limit: 1)[0].hash

      let pruned = try await store.pruneEvents(
        olderThan: StoreFixture.at(7 * 3600), now: StoreFixture.at(11 * 3600))

      #expect(pruned == 6)
      #expect(try await store.events(after: 0, limit: 100).map(\.seq) == [7, 8, 9, 10])
      let checkpoint = try #require(try await store.chainCheckpoint())
      #expect(checkpoint.seq == 6)
      #expect(checkpoint.hash == sixth.hash)
      #expect(checkpoint.at == StoreFixture.at(6 * 3600))
      #expect(checkpoint.prunedAt == StoreFixture.at(11 * 3600))
      #expect(try await store.verifyChain() == .intact(count: 4, head: head))

      let again = try await store.pruneEvents(
        olderThan: StoreFixture.at(100 * 3600), now: StoreFixture.at(101 * 3600))
      try await store.append([StoreFixture.event(at: 102 * 3600, "After.")])
      #expect(again == 3)
      #expect(try await store.chainCheckpoint()?.seq == 9)
      #expect(try await store.events(after: 0, limit: 100).map(\.seq) == [10, 11])
      #expect(try await store.verifyChain().isIntact)
    }
  }

  @Test(
    "Given two nodes pruning the same events at once, when both return, then the events went once, one node reports them and the chain verifies"
  )
  func concurrentPrunesDeleteOnce() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let first = try await Self.hourlyEvents(cluster.clientURLs, hours: 10)
      let second = EtcdStore(
        client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5),
        prefix: first.root.replacingOccurrences(of: "store/", with: ""))

      async let one = first.pruneEvents(olderThan: StoreFixture.at(7 * 3600), now: StoreFixture.at(11 * 3600))
      async let two = second.pruneEvents(
        olderThan: StoreFixture.at(7 * 3600), now: StoreFixture.at(11 * 3600))
      let counts = try await [one, two]

      #expect(counts.sorted() == [0, 6])
      #expect(try await second.chainCheckpoint()?.seq == 6)
      #expect(try await first.verifyChain().isIntact)
    }
  }

  @Test(
    "Given an old event edited before pruning, when it is due for pruning, then nothing is pruned and the store says the chain is broken"
  )
  func brokenEventsAreNotPruned() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let store = try await Self.hourlyEvents(cluster.clientURLs, hours: 10)
      try await EtcdStoreTamper.editMessage(store, seq: 3)

      await #expect {
        try await store.pruneEvents(olderThan: StoreFixture.at(7 * 3600), now: StoreFixture.at(11 * 3600))
      } throws: { error in
        guard case .auditChainBroken(let link) = error as? StoreError else { return false }
        return link.seq == 3
      }
      #expect(try await store.events(after: 0, limit: 100).count == 10)
      #expect(try await store.chainCheckpoint() == nil)
    }
  }

  @Test(
    "Given ended and running workflows and old overrides, when pruned, then ended workflows go with their steps, running ones stay, each service keeps its latest transition, and only expired overrides go"
  )
  func workflowsAndOverridesPruned() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let store = try await Self.hourlyEvents(cluster.clientURLs, hours: 1)
      for (id, seconds) in [("old-1", 0.0), ("old-2", 100.0), ("new", 10_000.0)] {
        try await store.begin(StoreFixture.plan(id, at: seconds), events: [])
        try await store.append(
          StoreFixture.entry(id, index: 0, .checkTargetHealth, .started, at: seconds + 1), events: [])
        try await store.finish(
          id, outcome: .succeeded,
          timings: WorkflowTimings(
            decidedAt: StoreFixture.at(seconds), finishedAt: StoreFixture.at(seconds + 10)), events: [])
      }
      try await store.begin(StoreFixture.plan("running", service: "web.example.com", at: 0), events: [])
      for (id, expiry) in [("old", 600.0), ("recent", 90_000.0)] {
        let override = Override(
          id: id, scope: .global, kind: .freeze, actor: "alice", reason: "test",
          createdAt: StoreFixture.at(0),
          expiresAt: StoreFixture.at(expiry))
        try await store.save(override, event: StoreFixture.event(.overrideCreated, scope: .global))
      }

      #expect(try await store.pruneFinishedWorkflows(olderThan: StoreFixture.at(5000)) == 2)
      #expect(try await store.workflow(id: "old-1") == nil)
      #expect(try await store.entries(workflowID: "old-2").isEmpty)
      #expect(try await store.entries(workflowID: "new").count == 1)
      #expect(try await store.unfinishedWorkflows().map(\.id) == ["running"])
      #expect(try await store.transitions(service: "api.example.com").map(\.at) == [StoreFixture.at(10_010)])
      #expect(try await store.pruneFinishedWorkflows(olderThan: StoreFixture.at(1_000_000)) == 1)
      #expect(try await store.transitions(service: "api.example.com").count == 1)

      #expect(try await store.pruneExpiredOverrides(olderThan: StoreFixture.at(86_400)) == 1)
      #expect(try await store.overrides().map(\.id) == ["recent"])
      #expect(try await store.truncateWriteAheadLog())
    }
  }
}
