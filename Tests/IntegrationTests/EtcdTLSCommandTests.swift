import Etcd
import FailoverCore
import Foundation
import TestPeers
import Testing

/// `switchboard audit verify` on an etcd store reached over TLS with a client certificate (`storage.tls`).
@Suite("switchboard on etcd over TLS")
struct EtcdTLSCommandTests {
  /// The two-region example on the TLS member, with `tls_lines` under `storage.tls`.
  static func config(_ cluster: EtcdCluster, tls lines: String) throws -> (path: String, prefix: String) {
    let (path, prefix) = try EtcdStoreCommandTests.config(etcd: cluster.clientURLs[0])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "  prefix: \(prefix)", with: "  prefix: \(prefix)\n  tls:\n\(lines)")
      .write(toFile: path, atomically: true, encoding: .utf8)
    return (path, prefix)
  }

  @Test(
    "Given etcd on https demanding client certificates, when audit verify runs with storage.tls, then it reads the chain; without cert_file, then it says one is required"
  )
  func auditVerifyOverTLS() async throws {
    let files = try EtcdTLSFiles()
    let cluster = try await EtcdCluster(size: 1, tls: files)
    defer { cluster.stopAll() }
    let (config, prefix) = try Self.config(
      cluster,
      tls:
        "    ca_file: \(files.caFile)\n    cert_file: \(files.clientCertFile)\n    key_file: \(files.clientKeyFile)\n"
    )
    let transport = try EtcdSocketTransport(
      caFile: files.caFile, certFile: files.clientCertFile, keyFile: files.clientKeyFile)
    let store = EtcdStore(
      client: EtcdClient(endpoints: cluster.clientURLs, timeout: 5, transport: transport), prefix: prefix)
    try await store.appendNumberedOverrides(2)
    let environment = try SwitchboardBinary.isolatedEnvironment([:])

    let intact = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: environment)
    #expect(intact.status == 0, "\(intact)")
    #expect(intact.stdout.contains("audit chain intact (2 events"), "\(intact)")

    let (anonymous, _) = try Self.config(cluster, tls: "    ca_file: \(files.caFile)\n")
    let refused = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", anonymous], environment: environment)
    #expect(refused.status != 0, "\(refused)")
    #expect(
      (refused.stdout + refused.stderr).contains("requires a client certificate and none is configured"),
      "\(refused)")
  }
}
