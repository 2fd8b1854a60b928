import Etcd
import FailoverCore
import Foundation
import StoreConformance
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The shared cluster, for the exit handler (set once, under the actor).
nonisolated(unsafe) private var sharedClusterAtExit: EtcdCluster?

/// One three-member etcd shared by every etcd store test of the run (`scripts/test` runs tests one at a time, so
/// per-test clusters would cost a start each): started by the first test that asks, killed when the test process
/// exits (etcd does not notice its parent going away).
actor SharedEtcdCluster {
  static let shared = SharedEtcdCluster()
  private var starting: Task<EtcdCluster, any Error>?

  /// Runs `body` with the shared cluster, starting it on first use.
  func with<T: Sendable>(_ body: @Sendable (EtcdCluster) async throws -> T) async throws -> T {
    try await body(try await cluster())
  }

  private func cluster() async throws -> EtcdCluster {
    if let starting, let cluster = try? await starting.value { return cluster }
    let task = Task { try await EtcdCluster(size: 3) }
    starting = task
    let cluster = try await task.value
    if sharedClusterAtExit == nil {
      sharedClusterAtExit = cluster
      atexit { sharedClusterAtExit?.killAtExit() }
    }
    return cluster
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
