import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import TestPeers
import Testing

/// `GET /api/v1/cluster`, `/readyz`'s role, and manual failovers sent to a follower.
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

  @Test("Given a follower, when an operator fails over through it, then the leader's answer is relayed")
  func followerForwardsToLeader() async throws {
    let port = try freeLoopbackPort()
    let leader = try APIHarness(
      runbook: nil, leadership: FakeLeadership(leads: true),
      listen: ListenAddress(host: "127.0.0.1", port: port))
    try await leader.warmUp()
    defer { Task { await leader.application.stop(grace: .zero) } }
    let record = LeaderRecord(nodeID: "leader-node", apiURL: "http://127.0.0.1:\(port)", electedAt: Date())
    let follower = try APIHarness(runbook: nil, leadership: FakeLeadership(leads: false, leader: record))
    try await follower.warmUp()

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
