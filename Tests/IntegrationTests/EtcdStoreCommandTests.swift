import Etcd
import FailoverCore
import Foundation
import TestPeers
import Testing

/// `audit verify` and `backup` on a configuration whose store is etcd (`storage.backend: etcd`).
@Suite("switchboard audit verify and backup on etcd")
struct EtcdStoreCommandTests {
  /// The two-region example with its storage in etcd at `url` under a fresh prefix.
  static func config(etcd url: URL) throws -> (path: String, prefix: String) {
    let directory = try ChildProcess.temporaryDirectory("etcd-cli")
    let prefix = "/cli-\(UUID().uuidString.prefix(8))/"
    let example = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml", encoding: .utf8)
    let path = directory + "/config.yaml"
    try example.replacingOccurrences(
      of: "  path: data/switchboard.sqlite",
      with: "  backend: etcd\n  endpoints: [\"\(url.absoluteString)\"]\n  prefix: \(prefix)"
    ).write(toFile: path, atomically: true, encoding: .utf8)
    return (path, prefix)
  }

  @Test(
    "Given an etcd store with 5 events, when audit verify runs, then it is intact; when event 3 is edited in etcd, then it names event 3 and exits 1"
  )
  func auditVerifyOnEtcd() async throws {
    let cluster = try await EtcdCluster(size: 1)
    defer { cluster.stopAll() }
    let (config, prefix) = try Self.config(etcd: cluster.clientURLs[0])
    let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 5)
    let store = EtcdStore(client: client, prefix: prefix)
    try await store.appendNumberedOverrides(5)
    let environment = try SwitchboardBinary.isolatedEnvironment([:])

    let intact = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: environment)
    #expect(intact.status == 0, "\(intact)")
    #expect(intact.stdout.contains("under \(prefix)store/: audit chain intact (5 events"), "\(intact)")

    let key = store.root + "events/" + String(format: "%020lld", 3)
    let stored = try #require(try await client.get(key))
    let edited = String(decoding: stored.value, as: UTF8.self).replacingOccurrences(
      of: "override 3", with: "override X")
    try await client.put(key, Data(edited.utf8))
    let broken = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: environment)
    #expect(broken.status == 1, "\(broken)")
    #expect(broken.stdout.contains("audit chain broken at event 3"), "\(broken)")
  }

  @Test("Given an etcd store, when backup runs, then it refuses and names etcdctl snapshot save")
  func backupRefusesOnEtcd() async throws {
    let (config, _) = try Self.config(etcd: URL(string: "http://127.0.0.1:9")!)
    let directory = try ChildProcess.temporaryDirectory("etcd-backup")
    let result = try await SwitchboardBinary.run(
      ["backup", "--config", config, "--to", directory + "/copy.sqlite"],
      environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("etcdctl snapshot save"), "\(result)")
    #expect(!FileManager.default.fileExists(atPath: directory + "/copy.sqlite"))
  }
}
