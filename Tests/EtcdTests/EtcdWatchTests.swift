import Etcd
import Foundation
import Synchronization
import TestPeers
import Testing

/// `/v3/watch` through the gateway, and the leader election's use of it.
@Suite("etcd watch against a real three-member etcd", .serialized)
struct EtcdWatchTests {
  /// Events a watch handed over, in order.
  final class Seen: Sendable {
    private let events = Mutex<[EtcdWatchEvent]>([])
    func add(_ batch: [EtcdWatchEvent]) { events.withLock { $0 += batch } }
    var all: [EtcdWatchEvent] { events.withLock { $0 } }
  }

  /// Waits (bounded) until `condition` holds.
  static func until(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try await condition() { return true }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    return try await condition()
  }

  @Test(
    "Given a watch on a prefix, when keys are put and deleted, then it sees each change in order with its kind; when the member it streams from is killed, then it throws, and a new watch streams from another"
  )
  func watchesPrefix() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let client = EtcdClient(endpoints: cluster.clientURLs, timeout: 2)
    let seen = Seen()
    let watch = Task { try await client.watch("/w/", prefix: true) { seen.add($0) } }
    // The watch is in place once a put made after it shows up.
    #expect(
      try await Self.until(5) {
        try await client.put("/w/ready", Data("1".utf8))
        return !seen.all.isEmpty
      })
    let before = seen.all.count
    let put = try await client.put("/w/a", Data("x".utf8))
    _ = try await client.put("/elsewhere", Data("y".utf8))
    let deleted = try await client.delete("/w/a")
    #expect(deleted == 1)
    #expect(try await Self.until(5) { seen.all.count >= before + 2 })
    let changes = Array(seen.all.dropFirst(before))
    #expect(changes.map(\.key) == ["/w/a", "/w/a"], "\(changes)")
    #expect(changes.map(\.kind) == [.put, .delete])
    #expect(changes.first?.modRevision == put)
    #expect((changes.last?.modRevision ?? 0) > put)

    cluster.kill(0)
    let ended = await Self.outcome(of: watch, within: 10)
    #expect(ended == "threw", "a watch whose member died must end with an error, not hang: \(ended)")

    let again = Seen()
    let second = Task { try await client.watch("/w/", prefix: true) { again.add($0) } }
    defer { second.cancel() }
    #expect(
      try await Self.until(10) {
        try await client.put("/w/after", Data("2".utf8))
        return again.all.contains { $0.key == "/w/after" }
      })
    second.cancel()
    #expect(await Self.outcome(of: second, within: 5) == "returned", "a cancelled watch returns")
  }

  /// How `task` ended within `seconds`: "returned", "threw", or "still running".
  static func outcome(of task: Task<Void, any Error>, within seconds: Double) async -> String {
    let result = Mutex<String?>(nil)
    let waiter = Task {
      do {
        try await task.value
        result.withLock { $0 = "returned" }
      } catch {
        result.withLock { $0 = "threw" }
      }
    }
    _ = try? await until(seconds) { result.withLock { $0 } != nil }
    waiter.cancel()
    return result.withLock { $0 } ?? "still running"
  }

  @Test(
    "Given a follower renewing every 3 s, when the leader stops and its key goes, then the follower leads within 1 s (the watch wakes it)"
  )
  func followerTakesOverOnDeletion() async throws {
    let cluster = try await EtcdCluster(size: 3)
    defer { cluster.stopAll() }
    let a = EtcdLeaderElectionTests.election(cluster, "a", ttl: 9)
    let b = EtcdLeaderElectionTests.election(cluster, "b", ttl: 9)
    await a.round()
    #expect(a.isLeader())
    b.start()
    #expect(try await Self.until(5) { b.status().role == .follower })
    try await Task.sleep(nanoseconds: 500_000_000)  // the watch's stream is open

    let stopped = Date()
    await a.stop()
    let took = try await Self.until(3) { b.isLeader() }
    let seconds = Date().timeIntervalSince(stopped)
    await b.stop()
    #expect(took)
    #expect(
      seconds < 1,
      "the follower led \(seconds) s after the leader's key went (its next renewal was up to 3 s away)")
    print(String(format: "EtcdWatchTests: the follower led %.3f s after the leader stopped", seconds))
  }
}
