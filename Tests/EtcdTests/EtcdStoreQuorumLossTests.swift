import Etcd
import FailoverCore
import Foundation
import Store
import StoreConformance
import TestPeers
import Testing

@Suite("etcd store without a quorum")
struct EtcdStoreQuorumLossTests {
  @Test(
    "Given two of three members killed, when the store is read and written, then reads still answer (serializable) and writes fail with a sentence; when the members return, then writes resume and nothing is lost"
  )
  func readsSurviveQuorumLossAndWritesResume() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let store = EtcdStore(
      client: EtcdClient(endpoints: cluster.clientURLs, timeout: 1),
      prefix: "/quorum-\(UUID().uuidString.prefix(8))/")
    try await store.begin(StoreFixture.plan("wf-1"), events: [StoreFixture.event(at: 0)])
    try await store.append([StoreFixture.event(at: 1)])

    cluster.kill(1)
    cluster.kill(2)

    #expect(try await store.lastEventSeq() == 2)
    #expect(try await store.workflow(id: "wf-1")?.record.state == .running)
    #expect(try await store.verifyChain().isIntact)
    await #expect {
      try await store.append([StoreFixture.event(at: 2)])
    } throws: { error in
      guard case .database(let operation, let reason) = error as? StoreError else { return false }
      return operation == "append events" && reason.contains("No etcd member answered")
    }

    try await cluster.restart(1)
    try await cluster.restart(2)
    try await store.append([StoreFixture.event(at: 3)])

    // The refused append may still have been applied once the members returned (a request etcd took before
    // timing out): then it is in the chain once, never twice, and the chain holds.
    let messages = try await store.events(after: 0, limit: 10).map(\.event.at)
    #expect([[0, 1, 3], [0, 1, 2, 3]].map { $0.map { StoreFixture.at(Double($0)) } }.contains(messages))
    #expect(try await store.verifyChain().isIntact)
  }
}
