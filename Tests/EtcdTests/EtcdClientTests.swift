import Etcd
import Foundation
import TestPeers
import Testing

@Suite("etcd client against a real three-member etcd")
struct EtcdClientTests {
  @Test("Given three members, when one is killed, then reads, writes, transactions and leases still work")
  func everyCallSurvivesOneMember() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 2)
    let revision = try await client.put("/t/a", Data("1".utf8))
    #expect(revision > 0)
    #expect(try await client.get("/t/a")?.value == Data("1".utf8))

    let created = try await client.txn(
      EtcdTxn(
        compare: [.createRevision("/t/leader", equals: 0)], success: [.put("/t/leader", Data("n1".utf8))]))
    #expect(created.succeeded)
    let again = try await client.txn(
      EtcdTxn(
        compare: [.createRevision("/t/leader", equals: 0)], success: [.put("/t/leader", Data("n2".utf8))],
        failure: [.range("/t/leader")]))
    #expect(!again.succeeded)
    #expect(again.kvs(at: 0).first?.value == Data("n1".utf8))

    let lease = try await client.grantLease(ttl: 5)
    try await client.put("/t/leased", Data(), lease: lease.id)
    #expect(try await client.keepAlive(lease.id) > 0)

    cluster.kill(0)
    try await client.put("/t/b", Data("2".utf8))
    let listed = try await client.range("/t/", prefix: true)
    #expect(listed.kvs.map(\.key) == ["/t/a", "/t/b", "/t/leader", "/t/leased"])
    try await client.revoke(lease.id)
    #expect(try await client.keepAlive(lease.id) == 0)
    #expect(try await client.get("/t/leased") == nil)
  }

  @Test("Given no member answers, when a call is made, then it fails as unavailable and names each endpoint")
  func unavailableNamesEveryEndpoint() async throws {
    let ports = try [freeLoopbackPort(), freeLoopbackPort()]
    let client = EtcdClient(endpoints: ports.map { URL(string: "http://127.0.0.1:\($0)")! }, timeout: 1)
    do {
      _ = try await client.get("/x")
      Issue.record("a call with no member answering succeeded")
    } catch {
      guard case .unavailable(let reasons) = error else {
        Issue.record("expected unavailable, got \(error)")
        return
      }
      #expect(reasons.count == 2)
      #expect(reasons.allSatisfy { $0.contains("127.0.0.1") })
    }
  }
}
