import Etcd
import FailoverCore
import Foundation
import StoreConformance
import TestPeers
import Testing

/// A fence whose answer the test sets: compares to carry, or a refusal.
final class ScriptedFence: EtcdFence, @unchecked Sendable {
  private let lock = NSLock()
  private var compares: [EtcdCompare]
  private var refusal: String?

  init(compares: [EtcdCompare] = [], refusal: String? = nil) {
    self.compares = compares
    self.refusal = refusal
  }

  func fencingCompares() throws(EtcdError) -> [EtcdCompare] {
    let (compares, refusal) = lock.withLock { (self.compares, self.refusal) }
    if let refusal { throw .notLeader(refusal) }
    return compares
  }
}

/// Whether `error` is the fence's refusal.
func isNotLeader(_ error: any Error) -> Bool {
  if case EtcdError.notLeader = error { return true }
  return false
}

@Suite("etcd store fencing and member failures")
struct EtcdStoreFencingTests {
  static func store(_ cluster: EtcdCluster, fence: (any EtcdFence)?) -> EtcdStore {
    EtcdStore(
      client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5),
      prefix: "/fence-\(UUID().uuidString.prefix(8))/",
      fence: fence)
  }

  @Test(
    "Given a fence that refuses, when the journal or routing history is written, then each write throws notLeader and nothing is written, while overrides (not fenced) still save"
  )
  func throwingFenceWritesNothing() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let store = Self.store(cluster, fence: ScriptedFence(refusal: "lease deadline passed"))
      let plan = StoreFixture.plan("wf-1")

      await #expect(
        performing: { try await store.begin(plan, events: [StoreFixture.event(at: 0)]) }, throws: isNotLeader)
      await #expect(
        performing: {
          try await store.recordRoutingState(
            .single("api.example.com", "us-east-1"), at: StoreFixture.at(0),
            events: [StoreFixture.event(at: 0)])
        }, throws: isNotLeader)

      #expect(try await store.workflow(id: "wf-1") == nil)
      #expect(try await store.routingStates().isEmpty)
      #expect(try await store.lastEventSeq() == 0)
      try await store.save(
        Override(
          id: "ovr-1", scope: .region("us-east-1"), kind: .freeze, actor: "alice", reason: "DB migration",
          createdAt: StoreFixture.at(0), expiresAt: StoreFixture.at(3600)),
        event: StoreFixture.event(.overrideCreated, at: 1))
      #expect(try await store.lastEventSeq() == 1)
    }
  }

  @Test(
    "Given a begun workflow, when another node takes the leader key, then the stale fence's step and finish throw notLeader and write neither the step, the outcome, the routing state nor an event"
  )
  func staleFenceCompareWritesNothing() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 5)
      let prefix = "/fence-\(UUID().uuidString.prefix(8))/"
      let leaderKey = prefix + "leader"
      let won = try await client.txn(
        EtcdTxn(compare: [.createRevision(leaderKey, equals: 0)], success: [.put(leaderKey, Data("n1".utf8))])
      )
      let fence = ScriptedFence(compares: [.createRevision(leaderKey, equals: won.revision)])
      let store = EtcdStore(client: client, prefix: prefix, fence: fence)
      try await store.begin(StoreFixture.plan("wf-1"), events: [StoreFixture.event(at: 0)])
      // Node 2 wins after node 1's lease lapsed: the key is created again, at a later revision.
      try await client.delete(leaderKey)
      try await client.put(leaderKey, Data("n2".utf8))

      await #expect(
        performing: {
          try await store.append(
            StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .started, at: 1),
            events: [StoreFixture.event(at: 1)])
        }, throws: isNotLeader)
      await #expect(
        performing: {
          try await store.finish(
            "wf-1", outcome: .succeeded, timings: WorkflowTimings(decidedAt: StoreFixture.at(0)),
            events: [StoreFixture.event(at: 2)])
        }, throws: isNotLeader)

      #expect(try await store.entries(workflowID: "wf-1").isEmpty)
      #expect(try await store.workflow(id: "wf-1")?.record.state == .running)
      #expect(try await store.routingStates().isEmpty)
      #expect(try await store.lastEventSeq() == 1)
      #expect(try await store.verifyChain().isIntact)
    }
  }

  @Test(
    "Given a store on three members, when the member it talks to is killed, then writes and reads go on through the others and the chain stays intact"
  )
  func memberKilledMidway() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let store = Self.store(cluster, fence: nil)
    try await store.begin(StoreFixture.plan("wf-1"), events: [StoreFixture.event(at: 0)])

    cluster.kill(0)
    try await store.append(
      StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .started, at: 1),
      events: [StoreFixture.event(at: 1)])
    try await store.append([StoreFixture.event(at: 2)])

    #expect(try await store.entries(workflowID: "wf-1").count == 1)
    #expect(try await store.lastEventSeq() == 3)
    #expect(try await store.verifyChain().isIntact)
  }
}
