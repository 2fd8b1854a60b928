import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import TestPeers
import Testing

/// `GET /api/v1/cluster`, `/readyz`'s role, and the leader-only requests (failovers, approvals, drill changes) sent
/// to a follower.
@Suite("API cluster")
struct ClusterAPITests {
  @Test(
    "Given a single node on SQLite, then the cluster is one member, itself, the leader; readyz says leader")
  func singleNode() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let cluster = try await api.send(.GET, "/api/v1/cluster", token: APIHarness.viewer)
    #expect(cluster.status == 200, "\(cluster.text)")
    #expect(cluster.json["backend"] as? String == "sqlite")
    #expect(cluster.json["role"] as? String == "leader")
    let node = try #require(cluster.json["node"] as? [String: Any])
    let leader = try #require(cluster.json["leader"] as? [String: Any])
    #expect(leader["id"] as? String == node["id"] as? String)
    let members = try #require(cluster.json["members"] as? [[String: Any]])
    #expect(members.count == 1 && members.first?["role"] as? String == "leader")
    let ready = try await api.send(.GET, "/readyz", token: nil)
    #expect(ready.json["role"] as? String == "leader")
  }

  /// A leader serving its API on loopback, and a follower (its own store) that names it as the leader.
  static func leaderAndFollower() async throws -> (leader: APIHarness, follower: APIHarness) {
    let port = try freeLoopbackPort()
    let leader = try APIHarness(
      runbook: nil, leadership: FakeLeadership(leads: true),
      listen: ListenAddress(host: "127.0.0.1", port: port))
    try await leader.warmUp()
    let record = LeaderRecord(nodeID: "leader-node", apiURL: "http://127.0.0.1:\(port)", electedAt: Date())
    let follower = try APIHarness(runbook: nil, leadership: FakeLeadership(leads: false, leader: record))
    try await follower.warmUp()
    return (leader, follower)
  }

  @Test("Given a follower, when an operator fails over through it, then the leader's answer is relayed")
  func followerForwardsToLeader() async throws {
    let (leader, follower) = try await Self.leaderAndFollower()
    defer { Task { await leader.application.stop(grace: .zero) } }

    let cluster = try await follower.send(.GET, "/api/v1/cluster", token: APIHarness.viewer)
    #expect(cluster.json["role"] as? String == "follower")
    #expect((cluster.json["leader"] as? [String: Any])?["id"] as? String == "leader-node")

    let body = #"{"target_region":"us-west-2","reason":"region maintenance"}"#
    let accepted = try await follower.send(
      .POST, "/api/v1/services/api.example.com/failover", token: APIHarness.operatorToken, json: body,
      headers: [("Idempotency-Key", "k-1")])
    #expect(accepted.status == 202, "\(accepted.text)")
    #expect(accepted.header("X-Switchboard-Leader") == "leader-node")
    let id = try #require(accepted.json["workflow_id"] as? String)
    #expect(accepted.header("Location") == "/api/v1/workflows/\(id)")
    await leader.settle()
    #expect(await leader.dns.values(of: "api.example.com") == ["192.0.2.20"])
    #expect(await follower.dns.submissions.isEmpty)

    let replay = try await follower.send(
      .POST, "/api/v1/services/api.example.com/failover", token: APIHarness.operatorToken, json: body,
      headers: [("Idempotency-Key", "k-1")])
    #expect(replay.status == 202)
    #expect(replay.header("Idempotent-Replayed") == "true")
    #expect(replay.json["workflow_id"] as? String == id)
    #expect(await leader.dns.submissions.count == 1)
  }

  @Test(
    "Given a follower, when an operator schedules and cancels a drill through it, then the leader does both and its answers are relayed"
  )
  func followerForwardsDrillChanges() async throws {
    let (leader, follower) = try await Self.leaderAndFollower()
    defer { Task { await leader.application.stop(grace: .zero) } }

    let created = try await follower.send(
      .POST, "/api/v1/drills", token: APIHarness.operatorToken, json: DrillAPITests.live,
      headers: [("Idempotency-Key", "drill-via-follower")])
    #expect(created.status == 201, "\(created.text)")
    #expect(created.header("X-Switchboard-Leader") == "leader-node")
    let id = try #require(created.json["id"] as? String)
    #expect(created.header("Location") == "/api/v1/drills/\(id)")
    #expect(try await leader.send(.GET, "/api/v1/drills/\(id)").status == 200)
    #expect(try await follower.send(.GET, "/api/v1/drills/\(id)").status == 404, "the follower's own store")

    let cancelled = try await follower.send(
      .POST, "/api/v1/drills/\(id)/cancel", token: APIHarness.operatorToken, json: #"{"reason":"moved"}"#)
    #expect(cancelled.status == 200, "\(cancelled.text)")
    #expect(try await leader.send(.GET, "/api/v1/drills/\(id)").json["state"] as? String == "cancelled")
  }

  @Test("Given a node cut off from etcd, then failovers answer 503 no-leader and readyz 503 degraded")
  func degradedNodeRefuses() async throws {
    let leadership = FakeLeadership(leads: false)
    let api = try APIHarness(runbook: nil, leadership: leadership)
    try await api.warmUp()
    let noLeader = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover", token: APIHarness.operatorToken,
      json: #"{"target_region":"us-west-2","reason":"test"}"#)
    #expect(noLeader.status == 503)
    #expect(noLeader.json["type"] as? String == "urn:switchboard:problem:no-leader")

    let bounced = try await api.send(
      .POST, "/api/v1/services/api.example.com/failover", token: APIHarness.operatorToken,
      json: #"{"target_region":"us-west-2","reason":"test"}"#,
      headers: [("X-Switchboard-Forwarded-By", "follower")])
    #expect(bounced.status == 503)
    #expect(bounced.text.contains("does not lead"))

    for (path, body) in [
      ("/api/v1/workflows/wf-1/approval", #"{"decision":"approve","reason":"looks right"}"#),
      ("/api/v1/drills", DrillAPITests.live),
    ] {
      let refused = try await api.send(.POST, path, token: APIHarness.operatorToken, json: body)
      #expect(refused.status == 503, "\(path): \(refused.text)")
      #expect(refused.json["type"] as? String == "urn:switchboard:problem:no-leader", "\(path)")
    }

    leadership.cutOff()
    await api.engine.tick()
    let ready = try await api.send(.GET, "/readyz", token: nil)
    #expect(ready.status == 503)
    #expect(ready.json["role"] as? String == "degraded")
    let cluster = try await api.send(.GET, "/api/v1/cluster", token: APIHarness.viewer)
    #expect(cluster.json["role"] as? String == "degraded")
    #expect(await api.dns.submissions.isEmpty)
  }
}
