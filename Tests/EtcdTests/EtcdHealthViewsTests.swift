import Etcd
import FailoverCore
import Foundation
import TestPeers
import Testing

@Suite("Quorum health views over a real three-member etcd", .serialized)
struct EtcdHealthViewsTests {
  let prefix = "/switchboard/test/"
  let east: RegionID = "us-east-1"

  func health(_ status: HealthStatus, _ reason: String = "probe") -> Health {
    Health(status: status, reason: reason, since: Date(timeIntervalSince1970: 1_800_000_000))
  }

  func node(_ id: String, _ cluster: EtcdCluster, ttl: TimeInterval = 10) -> EtcdHealthViews {
    EtcdHealthViews(
      client: EtcdClient(endpoints: cluster.clientURLs, timeout: 2), prefix: prefix, nodeID: id, leaseTTL: ttl
    )
  }

  @Test(
    "Given two nodes, when one's verdict changes, then the other reads it; a live node without one is unknown"
  )
  func viewsTravel() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let a = node("127.0.0.1:8081", cluster)
    let b = node("127.0.0.1:8082", cluster)
    let now = Date()
    await b.step()
    await a.step()
    #expect(a.views(service: "api", region: east, at: now).map(\.status) == [.unknown])
    #expect(a.views(service: "api", region: east, at: now).first?.node == "127.0.0.1:8082")

    b.publish(service: "api", [east: health(.unhealthy, "connection refused")], at: now)
    await b.step()
    await a.step()
    let seen = a.views(service: "api", region: east, at: now)
    #expect(seen.map(\.status) == [.unhealthy])
    #expect(seen.first?.reason == "connection refused")
    #expect(b.views(service: "api", region: east, at: now).map(\.node) == ["127.0.0.1:8081"])

    let document = try await EtcdClient(endpoints: cluster.clientURLs).get(prefix + "health/127.0.0.1:8082")
    let decoded = try EtcdHealthDocument.decode(try #require(document).value)
    #expect(decoded.nodeID == "127.0.0.1:8082")
    #expect(decoded.verdicts.map(\.status) == [.unhealthy])
    #expect(document?.lease != 0)

    await b.stop()
    await a.step()
    #expect(a.views(service: "api", region: east, at: now).isEmpty)
    await a.stop()
  }

  @Test("Given a node that stops renewing its lease (killed), then after the lease TTL its views are gone")
  func deadNodeVanishes() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let a = node("a", cluster, ttl: 2)
    let dead = node("dead", cluster, ttl: 2)
    dead.publish(service: "api", [east: health(.unhealthy)], at: Date())
    await dead.step()  // publishes once, then never again: as if SIGKILLed
    await a.step()
    #expect(a.views(service: "api", region: east, at: Date()).map(\.node) == ["dead"])
    var gone = false
    for _ in 0..<40 where !gone {  // at most 10 s
      try await Task.sleep(for: .milliseconds(250))
      await a.step()
      gone = a.views(service: "api", region: east, at: Date()).isEmpty
    }
    #expect(gone, "the dead node's lease should have expired within 10 s")
    await a.stop()
  }

  @Test(
    "Given a service this node stops evaluating (removed, or a stuck engine), then its verdict leaves the document"
  )
  func unevaluatedVerdictsLeave() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let a = node("a", cluster, ttl: 2)
    let b = node("b", cluster, ttl: 2)
    a.publish(service: "kept", [east: health(.healthy)], at: Date())
    a.publish(service: "removed", [east: health(.unhealthy)], at: Date())
    await a.step()
    await b.step()
    #expect(b.views(service: "removed", region: east, at: Date()).map(\.status) == [.unhealthy])
    for _ in 0..<12 {  // 3 s: past the 2 s TTL, evaluating only "kept"
      a.publish(service: "kept", [east: health(.healthy)], at: Date())
      await a.step()
      try await Task.sleep(for: .milliseconds(250))
    }
    await b.step()
    #expect(b.views(service: "removed", region: east, at: Date()).map(\.status) == [.unknown])
    #expect(b.views(service: "kept", region: east, at: Date()).map(\.status) == [.healthy])
    await a.stop()
    await b.stop()
  }

  @Test(
    "Given 1,000 targets on three nodes observed every second, when nothing changes, then only heartbeats write"
  )
  func steadyStateWritesAreHeartbeats() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let client = EtcdClient(endpoints: cluster.clientURLs)
    let ttl: TimeInterval = 4
    let nodes = (1...3).map { node("127.0.0.1:808\($0)", cluster, ttl: ttl) }
    let regions = (0..<10).map { RegionID(rawValue: "region-\($0)") }
    let services = (0..<100).map { ServiceID(rawValue: "svc-\($0)") }
    func observeAll() {
      for node in nodes {
        for service in services {
          node.publish(
            service: service, Dictionary(uniqueKeysWithValues: regions.map { ($0, health(.healthy)) }),
            at: Date())
        }
      }
    }
    observeAll()
    for node in nodes { await node.start() }
    try await Task.sleep(for: .seconds(1))
    let before = try await client.range("/none").revision
    let seconds = 8
    for _ in 0..<seconds {
      observeAll()
      try await Task.sleep(for: .seconds(1))
    }
    let writes = try await client.range("/none").revision - before
    let size = try await client.get(prefix + "health/127.0.0.1:8081")?.value.count ?? 0
    print("quorum health: one node's document of 1,000 healthy verdicts is \(size) bytes")
    #expect(size < 100_000)
    let perSecond = Double(writes) / Double(seconds)
    print("quorum health: \(writes) etcd writes in \(seconds) s (\(perSecond)/s) for 3 nodes x 1,000 targets")
    // Heartbeats every TTL/2 = 2 s per node: about 12 in 8 s; observations add none.
    #expect(writes <= Int64(3 * (seconds / 2 + 1)))
    #expect(
      nodes[0].views(service: "svc-7", region: "region-3", at: Date()).map(\.status) == [.healthy, .healthy])

    nodes[1].publish(service: "svc-7", ["region-3": health(.unhealthy)], at: Date())
    var seen = false
    for _ in 0..<20 where !seen {  // at most 5 s
      try await Task.sleep(for: .milliseconds(250))
      seen = nodes[0].views(service: "svc-7", region: "region-3", at: Date()).map(\.status).contains(
        .unhealthy)
    }
    #expect(seen, "a change should reach the other nodes within a few poll intervals")
    for node in nodes { await node.stop() }
  }
}
