import Etcd
import FailoverCore
import Foundation
import Synchronization
import TestPeers
import Testing

/// A monotonic clock the test moves by hand.
final class ManualMonotonic: Sendable {
  private let seconds = Mutex<TimeInterval>(1000)
  func advance(_ delta: TimeInterval) { seconds.withLock { $0 += delta } }
  var read: @Sendable () -> TimeInterval { { [self] in seconds.withLock { $0 } } }
}

@Suite("Leader election and fencing against a real three-member etcd", .serialized)
struct EtcdLeaderElectionTests {
  static func election(
    _ cluster: EtcdCluster, _ id: String, clock: ManualMonotonic? = nil, ttl: TimeInterval = 3,
    timeout: TimeInterval = 2
  ) -> EtcdLeaderElection {
    let client = EtcdClient(endpoints: cluster.clientURLs, timeout: timeout)
    if let clock {
      return EtcdLeaderElection(
        client: client, prefix: "/sb/test/", nodeID: id, apiURL: "http://\(id)", leaseTTL: ttl,
        monotonic: clock.read)
    }
    return EtcdLeaderElection(
      client: client, prefix: "/sb/test/", nodeID: id, apiURL: "http://\(id)", leaseTTL: ttl)
  }

  @Test(
    "Given two nodes campaigning, then the first leads and the second follows; when it stops, the second leads"
  )
  func firstWinsThenHandsOver() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let a = Self.election(cluster, "a")
    let b = Self.election(cluster, "b")
    await a.round()
    await b.round()
    #expect(a.isLeader())
    #expect(!b.isLeader())
    #expect(b.status().role == .follower)
    #expect(b.status().leader?.nodeID == "a")
    #expect(b.status().leader?.apiURL == "http://a")
    try await a.confirm()
    let members = try await b.members()
    #expect(members.map(\.nodeID) == ["a", "b"])
    #expect(members.first?.role == .leader)
    #expect(members.allSatisfy { ($0.leaseSecondsLeft ?? 0) > 0 })

    await a.stop()
    #expect(!a.isLeader())
    await b.round()
    #expect(b.isLeader())
    #expect(try await b.members().map(\.nodeID) == ["b"])
  }

  @Test(
    "Given a leader paused past its margin, then it neither confirms nor fences, and its old compares fail")
  func pausedLeaderIsFencedOut() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let clock = ManualMonotonic()
    let a = Self.election(cluster, "a", clock: clock)
    let b = Self.election(cluster, "b")
    await a.round()
    let compares = try a.fencingCompares()
    guard case .createRevision("/sb/test/leader", let won)? = compares.first else {
      Issue.record("the fence does not compare the leader key: \(compares)")
      return
    }
    #expect(won > 0)
    let client = EtcdClient(endpoints: cluster.clientURLs)
    let fenced = EtcdTxn(compare: compares, success: [.put("/sb/test/store/x", Data("a".utf8))])
    #expect(try await client.txn(fenced).succeeded)

    clock.advance(2.1)  // TTL 3 s, margin 1 s: past the deadline minus the margin
    #expect(!a.isLeader())
    #expect(throws: EtcdError.self) { try a.fencingCompares() }
    await #expect(throws: LeadershipLost.self) { try await a.confirm() }

    // The lease really expires in etcd; b takes over.
    let deadline = Date().addingTimeInterval(15)
    while !b.isLeader(), Date() < deadline {
      await b.round()
      try await Task.sleep(for: .milliseconds(300))
    }
    #expect(b.isLeader())
    #expect(try await client.txn(fenced).succeeded == false)
    // a wakes up: its next round finds its lease gone and follows b.
    await a.round()
    #expect(!a.isLeader())
    #expect(a.status().leader?.nodeID == "b")
  }

  @Test(
    "Given a leader, when two of three etcd members stop, then it is degraded; when they return, it leads")
  func degradedWithoutQuorumThenResumes() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let a = Self.election(cluster, "a", timeout: 1)
    a.start()
    let start = Date()
    while !a.isLeader(), Date().timeIntervalSince(start) < 15 {
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(a.isLeader())
    cluster.stop(1)
    cluster.stop(2)
    let lost = Date()
    while a.status().role != .degraded, Date().timeIntervalSince(lost) < 30 {
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(a.status().role == .degraded)
    #expect(!a.isLeader())
    #expect(throws: EtcdError.self) { try a.fencingCompares() }
    try await cluster.restart(1)
    try await cluster.restart(2)
    let back = Date()
    while !a.isLeader(), Date().timeIntervalSince(back) < 40 { try await Task.sleep(for: .milliseconds(200)) }
    #expect(a.isLeader())
    await a.stop()
  }
}
