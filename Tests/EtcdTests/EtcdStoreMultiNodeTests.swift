import Etcd
import FailoverCore
import Foundation
import StoreConformance
import Testing

@Suite("etcd store shared by several nodes")
struct EtcdStoreMultiNodeTests {
  /// `count` stores on one prefix, each with its own client: what `count` nodes of a cluster hold.
  static func nodes(_ count: Int, _ urls: [URL]) -> [EtcdStore] {
    let prefix = "/nodes-\(UUID().uuidString.prefix(8))/"
    return (0..<count).map { _ in EtcdStore(client: EtcdClient(endpoints: urls, timeout: 5), prefix: prefix) }
  }

  @Test(
    "Given three nodes appending at once to one etcd store, when they are done, then the log holds every event once, without gaps, in one valid chain"
  )
  func concurrentNodesShareOneChain() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let nodes = Self.nodes(3, cluster.clientURLs)
      let appends = 12
      try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, node) in nodes.enumerated() {
          for task in 0..<2 {
            group.addTask {
              for n in 0..<appends {
                try await node.append(
                  (0..<(1 + n % 2)).map {
                    StoreFixture.event(at: Double(n), "Node \(index) task \(task) #\(n).\($0)")
                  })
              }
            }
          }
        }
        try await group.waitForAll()
      }

      let expected = nodes.count * 2 * (0..<appends).map { 1 + $0 % 2 }.reduce(0, +)
      let all = try await nodes[1].events(after: 0, limit: 1000)
      #expect(all.map(\.seq) == Array(1...Int64(expected)))
      #expect(Set(all.map(\.event.message)).count == expected)
      #expect(try await nodes[2].verifyChain() == .intact(count: expected, head: all.last?.hash ?? ""))
    }
  }

  @Test(
    "Given two nodes saving a response under the same idempotency key at once, when both return, then exactly one saved and the other got the winner's record"
  )
  func idempotencyKeyHasOneWinner() async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      let nodes = Self.nodes(2, cluster.clientURLs)
      let records = [201, 409].map { status in
        IdempotencyRecord(
          key: "k1", actor: "alice", method: "POST", path: "/api/v1/overrides",
          requestHash: "sha256:\(status)",
          status: status, headers: [:], body: Data(), createdAt: StoreFixture.at(0))
      }

      async let first = nodes[0].saveIdempotent(records[0])
      async let second = nodes[1].saveIdempotent(records[1])
      let answers = try await [first, second]

      #expect(answers.filter { $0 == nil }.count == 1)
      let kept = try #require(
        try await nodes[0].lookupIdempotent(key: "k1", actor: "alice", now: StoreFixture.at(1)))
      #expect(answers.compactMap { $0 } == [kept])
    }
  }
}
