import Configuration
import FailoverCore
import Foundation
import HTTPServer
import SampleRegion
import Switchboard
import SwitchboardApplication
import TestPeers
import Testing

/// Three nodes (`SwitchboardApplication`s, as `serve` composes them) on a real three-member etcd, probing real sample
/// regions; node 3's network to the primary is broken (its prober is sent to a closed port).
@Suite("Quorum health: three nodes judge a region together", .serialized)
struct QuorumClusterTests {
  static let token = "quorum-viewer"

  /// Sends probes for URLs starting with `broken` to a port nothing listens on, as a node whose own network to
  /// that region is down; the observations still speak for the configured signal.
  final class BrokenNetworkProber: Prober {
    let inner: any Prober
    let broken: String
    let closed: String

    init(_ inner: any Prober, broken: String) {
      self.inner = inner
      self.broken = broken
      closed = "http://127.0.0.1:\(Loopback.closedPort())"
    }

    func rewrite(_ targets: [ProbeTarget]) -> [ProbeTarget] {
      targets.map { target in
        var target = target
        if target.spec.url.hasPrefix(broken) {
          target.spec.url = closed + target.spec.url.dropFirst(broken.count)
        }
        return target
      }
    }
    func start(_ targets: [ProbeTarget], observe: @escaping @Sendable (Observation) -> Void) {
      inner.start(rewrite(targets), observe: observe)
    }
    func update(_ targets: [ProbeTarget]) { inner.update(rewrite(targets)) }
    func stop() { inner.stop() }
  }

  struct Node {
    let id: String
    let application: SwitchboardApplication
    let dns: EngineFakeDNS

    /// `GET /api/v1/services/{id}/explain` through the router, as JSON.
    func explain() async throws -> [String: Any] {
      var headers = HTTPHeaders()
      headers.add(name: "Authorization", value: "Bearer \(QuorumClusterTests.token)")
      var request = Request(
        method: .GET, target: "/api/v1/services/api.example.com/explain", headers: headers)
      guard case .found(let handler, let parameters, _) = application.router.match(.GET, path: request.path)
      else { throw EngineFakeError(description: "no explain route") }
      request.parameters = parameters
      let response: Response
      switch handler {
      case .sync(let function): response = try function(request)
      case .async(let function): response = try await function(request)
      }
      guard response.status.code == 200, case .bytes(let body) = response.body else {
        throw EngineFakeError(description: "explain answered \(response.status.code)")
      }
      return try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
    }

    /// The primary's health and quorum in the explanation.
    func primary() async throws -> (status: String, quorum: [String: Any]?, summary: String) {
      let explanation = try await explain()
      let regions = explanation["health"] as? [[String: Any]] ?? []
      let east = regions.first { $0["region"] as? String == "us-east-1" } ?? [:]
      return (
        (east["health"] as? [String: Any])?["status"] as? String ?? "", east["quorum"] as? [String: Any],
        explanation["summary"] as? String ?? ""
      )
    }
  }

  func node(
    _ index: Int, etcd: EtcdCluster, east: String, west: String, directory: URL, brokenTo: String? = nil
  ) throws -> Node {
    var config = EngineFixtures.config(
      primaryURL: east + "/health", secondaryURL: west + "/health", failureThreshold: 2)
    config.storagePath = directory.appendingPathComponent("node\(index).sqlite").path
    config.storageBackend = .etcd
    config.etcd = EtcdSettings(
      endpoints: etcd.clientURLs.map(\.absoluteString), prefix: "/switchboard/quorum/")
    config.cluster = ClusterSettings(name: "quorum", leaseTTL: 4)
    config.tokens = [
      AuthToken(name: "ada", role: .viewer, sha256: EnvironmentOverrides.sha256Hex(Self.token))
    ]
    let dns = EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")])
    var options = ApplicationOptions(
      engineSettings: EngineSettings(alarmPollInterval: nil), storeDurability: .normal, runsLoops: true,
      listens: false, prunes: false, servesDashboard: false,
      ports: { ports in
        ports.dns = dns
        ports.metrics = EngineFakeMetrics()
        ports.notifier = EngineFakeNotifier()
        ports.alarms = nil
        ports.healthChecks = nil
        ports.sleeper = InstantSleeper()
        ports.jitter = FixedJitterSource()
        if let brokenTo, let prober = ports.prober {
          ports.prober = BrokenNetworkProber(prober, broken: brokenTo)
        }
      })
    options.nodeID = "127.0.0.1:808\(index)"
    return Node(
      id: options.nodeID!, application: try SwitchboardApplication(config: config, options: options), dns: dns
    )
  }

  /// Polls `condition` every 250 ms (the engines tick on their own, every second) until it holds or `seconds` pass.
  func waitUntil(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if (try? await condition()) == true { return true }
      try await Task.sleep(for: .milliseconds(250))
    }
    return try await condition()
  }

  @Test(
    "Given three nodes, when only the leader's probes see the primary down, then nobody fails over and the explanation names each view; when the primary really fails, then the quorum is met and traffic moves"
  )
  func oneBrokenVantagePointCannotFailOver() async throws {
    let etcd = try await EtcdCluster(size: 3)
    defer { etcd.stopAll() }
    let (primary, primaryServer, east) = try Loopback.sampleRegion("us-east-1")
    let (_, secondaryServer, west) = try Loopback.sampleRegion("us-west-2")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "quorum-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let nodes = [
      try node(1, etcd: etcd, east: east, west: west, directory: directory),
      try node(2, etcd: etcd, east: east, west: west, directory: directory),
      try node(3, etcd: etcd, east: east, west: west, directory: directory, brokenTo: east),
    ]
    // Node 3, the one with the broken network, starts first and leads: the decisions are its to take.
    try await nodes[2].application.start()
    let leads = try await waitUntil(20) { nodes[2].application.engine.leadership?.isLeader() == true }
    #expect(leads, "node 3 did not win the election")
    for node in nodes[0..<2] { try await node.application.start() }

    // Node 3 alone sees the primary failing: the others' views keep it from being judged unhealthy.
    let split = try await waitUntil(30) {
      let quorum = try await nodes[0].primary().quorum
      let third = try await nodes[2].primary().quorum
      return (quorum?["live"] as? Int) == 3 && (quorum?["failing"] as? Int) == 1
        && (third?["failing"] as? Int) == 1
    }
    let first = try await nodes[0].primary()
    #expect(split, "node 1 never saw node 3's failing view: \(first.summary)")
    _ = try await waitUntil(3) { false }  // a few more ticks in which a failover could start
    for node in nodes {
      let seen = try await node.primary()
      #expect(seen.status == "degraded", "\(node.id): \(seen.summary)")
      #expect(seen.quorum?["required"] as? Int == 2)
      #expect(
        seen.summary.contains(
          "1 of 3 nodes see it failing, below the quorum of 2, so it is not judged unhealthy"),
        "\(node.id): \(seen.summary)")
      // This node's view comes first; the others follow by node id.
      let healthy =
        node.id == "127.0.0.1:8083"
        ? "127.0.0.1:8083 (this node) sees us-east-1 failing since"
        : "\(node.id) (this node) and \(node.id == "127.0.0.1:8081" ? "127.0.0.1:8082" : "127.0.0.1:8081") see "
          + "us-east-1 healthy; 127.0.0.1:8083 sees it failing since"
      #expect(seen.summary.contains(healthy), "\(node.id): \(seen.summary)")
      #expect(await node.dns.submissions.isEmpty, "\(node.id) changed DNS on one vantage point's view")
    }
    #expect(nodes[2].application.engine.leadership?.isLeader() == true, "node 3 should still lead")
    let views = try #require(try await nodes[0].primary().quorum?["views"] as? [[String: Any]])
    #expect(views.map { $0["node"] as? String } == ["127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083"])
    #expect(views.map { $0["status"] as? String } == ["healthy", "healthy", "unhealthy"])

    // The primary really fails: every vantage point agrees, the quorum is met and traffic moves.
    primary.setFailing(true)
    // Only the leader (etcd election) decides and moves it.
    var mover: Node?
    let moved = try await waitUntil(30) {
      for node in nodes where await node.dns.records.contains(where: { $0.values == ["192.0.2.20"] }) {
        mover = node
      }
      return mover != nil
    }
    let after = try await (mover ?? nodes[0]).primary()
    #expect(moved, "no node failed over: \(after.summary)")
    var movers: [String] = []
    for node in nodes where await !node.dns.submissions.isEmpty { movers.append(node.id) }
    #expect(movers.count == 1, "DNS changed by \(movers)")
    #expect(after.status == "unhealthy", "\(after.summary)")
    // Moved as soon as two of the three agreed (the third may not have counted its failures yet).
    #expect(after.summary.contains("of 3 nodes see it failing, quorum 2"), "\(after.summary)")
    #expect((after.quorum?["failing"] as? Int ?? 0) >= 2)

    for node in nodes { await node.application.stop(grace: .zero) }
    await primaryServer.shutdown()
    await secondaryServer.shutdown()
  }
}
