import Configuration
import FailoverCore
import Foundation
import Switchboard
import SwitchboardApplication
import TestPeers
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite("The application on an etcd store")
struct EtcdStoreApplicationTests {
  /// The application on `cluster`, under a prefix of its own, warmed up.
  static func harness(on cluster: EtcdCluster) async throws -> APIHarness {
    let prefix = "/app-\(UUID().uuidString.prefix(8))/"
    let api = try APIHarness(
      etcd: EtcdSettings(endpoints: cluster.clientURLs.map(\.absoluteString), prefix: prefix))
    try await api.warmUp()
    return api
  }

  @Test(
    "Given storage.backend etcd, when the application starts, an override is created and events are read, then everything is kept in etcd and the audit chain verifies"
  )
  func applicationRunsOnEtcd() async throws {
    let cluster = try await EtcdCluster(size: 1)
    defer { cluster.stopAll() }
    let api = try await Self.harness(on: cluster)

    let created = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"service:api.example.com","kind":"block","reason":"deploy","duration_seconds":600}"#,
      headers: [("Idempotency-Key", "etcd-1")])
    let events = try await api.send(.GET, "/api/v1/events?kind=override.created")
    let verified = try await api.send(.GET, "/api/v1/audit/verify")

    #expect(created.status == 201, "\(created.text)")
    #expect(events.status == 200)
    #expect(events.text.contains("deploy"), "\(events.text)")
    #expect(verified.status == 200, "\(verified.text)")
    #expect(verified.text.contains("true"), "\(verified.text)")
    #expect(try await api.store.overrides().count == 1)
    #expect(
      !FileManager.default.fileExists(atPath: api.directory.appendingPathComponent("store.sqlite").path))
  }

  @Test(
    "Given storage.backend etcd, when a manual failover runs, then its journal, transition and routing state are in etcd and the chain verifies"
  )
  func failoverJournaledInEtcd() async throws {
    let cluster = try await EtcdCluster(size: 1)
    defer { cluster.stopAll() }
    let api = try await Self.harness(on: cluster)
    try await Self.waitUntilLeader(api)
    let before = try await Self.revision(cluster.clientURLs[0])

    let started = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover",
      json: #"{"target_region":"us-west-2","reason":"drill"}"#)
    await api.settle()
    let writes = try await Self.revision(cluster.clientURLs[0]) - before

    #expect(started.status == 202, "\(started.text)")
    let page = try await api.store.workflows(service: "api.example.com", before: nil, limit: 10)
    #expect(page.workflows.map(\.state) == [.succeeded])
    let id = try #require(page.workflows.first?.id)
    #expect(try await api.store.entries(workflowID: id).count >= 2)
    #expect(try await api.store.routingState(service: "api.example.com")?.activeRegion == "us-west-2")
    #expect(try await api.store.transitions(service: "api.example.com", limit: 10).count == 1)
    #expect(try await api.store.verifyChain().isIntact)
    // 16 measured (journal begin, steps, finish, and the events written on their own); a bound, not an exact count.
    #expect(writes > 0 && writes <= 40, "\(writes) etcd write transactions")
  }

  /// Waits (at most 15 s) until the application's node leads: only the leader runs workflows, and its journal
  /// writes are fenced by the election.
  static func waitUntilLeader(_ api: APIHarness) async throws {
    let deadline = Date().addingTimeInterval(15)
    while Date() < deadline {
      let answer = try await api.send(.GET, "/api/v1/cluster")
      if answer.text.contains(#""role":"leader""#) { return }
      try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("the node did not become leader within 15 s")
  }

  /// etcd's current revision (each write transaction adds one), read through the gateway.
  static func revision(_ url: URL) async throws -> Int {
    var request = URLRequest(url: url.appendingPathComponent("v3/kv/range"))
    request.httpMethod = "POST"
    request.httpBody = Data(#"{"key":"AA=="}"#.utf8)
    let (data, _) = try await URLSession.shared.data(for: request)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let header = object?["header"] as? [String: Any]
    return Int(header?["revision"] as? String ?? "") ?? 0
  }
}

extension APIHarness {
  /// The harness's application (same configuration, tokens and driven ports) with its store in etcd.
  init(etcd: EtcdSettings) throws {
    clock = EngineManualClock()
    dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "switchboard-api-\(UUID().uuidString)")
    var config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    config.storageBackend = .etcd
    config.etcd = etcd
    config.storagePath = directory.appendingPathComponent("store.sqlite").path
    config.tokens = [
      AuthToken(name: "ada", role: .viewer, sha256: EnvironmentOverrides.sha256Hex(Self.viewer)),
      AuthToken(name: "grace", role: .operator, sha256: EnvironmentOverrides.sha256Hex(Self.operatorToken)),
      AuthToken(name: "root", role: .admin, sha256: EnvironmentOverrides.sha256Hex(Self.admin)),
    ]
    application = try SwitchboardApplication(config: config, options: .driven(clock: clock, dns: dns))
  }
}
