import Etcd
import FailoverCore
import Foundation
import StoreConformance
import TestPeers
import Testing

/// One three-member etcd shared by the checks running at the same time: started by the first, stopped when the
/// last one releases it (etcd does not exit with the test process, so it is never left to a static).
actor SharedEtcdCluster {
  static let shared = SharedEtcdCluster()
  private var cluster: EtcdCluster?
  private var users = 0

  /// Runs `body` with the shared cluster, starting it when no check holds it.
  func with<T: Sendable>(_ body: @Sendable (EtcdCluster) async throws -> T) async throws -> T {
    let cluster = try await acquire()
    do {
      let answer = try await body(cluster)
      release()
      return answer
    } catch {
      release()
      throw error
    }
  }

  private var starting: Task<EtcdCluster, any Error>?

  private func acquire() async throws -> EtcdCluster {
    users += 1
    if let cluster { return cluster }
    let task = starting ?? Task { try await EtcdCluster(size: 3) }
    starting = task
    do {
      let started = try await task.value
      starting = nil
      cluster = cluster ?? started
      return started
    } catch {
      starting = nil
      users -= 1
      throw error
    }
  }

  private func release() {
    users -= 1
    guard users == 0 else { return }
    cluster?.stopAll()
    cluster = nil
  }
}

/// The etcd store runs the store conformance suite against a real three-member etcd: every rule of FailoverCore's
/// store ports. Each store gets a fresh prefix; tampering rewrites an event's message through the client.
@Suite("etcd store conformance")
struct EtcdStoreConformanceTests {
  static func backend(_ cluster: EtcdCluster) -> StoreConformanceBackend {
    StoreConformanceBackend(
      name: "etcd",
      makeStore: {
        EtcdStore(
          client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5),
          prefix: "/conformance-\(UUID().uuidString.prefix(8))/")
      },
      tamperWithEvent: { store, seq in
        guard let etcd = store as? EtcdStore else { throw CocoaError(.featureUnsupported) }
        try await EtcdStoreTamper.editMessage(etcd, seq: seq)
      })
  }

  @Test(arguments: StoreConformance.checks)
  func conforms(_ check: StoreConformanceCheck) async throws {
    try await SharedEtcdCluster.shared.with { cluster in
      try await check.run(on: Self.backend(cluster))
    }
  }
}

/// Edits a stored event behind the store's back, as someone with `etcdctl put` would.
enum EtcdStoreTamper {
  /// Prefixes the message in the canonical JSON of the event at `seq` with "Edited: ", leaving its hash.
  static func editMessage(_ store: EtcdStore, seq: Int64) async throws {
    let key = store.root + "events/" + String(format: "%020lld", seq)
    let kv = try #require(try await store.client.get(key))
    var record = try #require(try JSONSerialization.jsonObject(with: kv.value) as? [String: Any])
    let json = try #require(record["json"] as? String)
    record["json"] = json.replacingOccurrences(of: #""message":""#, with: #""message":"Edited: "#)
    try await store.client.put(key, try JSONSerialization.data(withJSONObject: record))
  }
}
