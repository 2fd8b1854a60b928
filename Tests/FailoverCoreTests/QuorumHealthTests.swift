import FailoverCore
import Foundation
import Testing

@Suite("QuorumHealth: a region judged from every live node's view")
struct QuorumHealthTests {
  typealias F = Fixtures

  let majority: (Int) -> Int = { $0 / 2 + 1 }
  let t0 = Date(timeIntervalSince1970: 1_800_000_000)

  func own(_ status: HealthStatus, since: Date? = nil) -> Health {
    Health(status: status, reason: "probe says \(status.rawValue)", since: since)
  }
  func peer(_ node: String, _ status: HealthStatus, since: Date? = nil) -> NodeHealthView {
    NodeHealthView(node: node, status: status, since: since, reason: "probe says \(status.rawValue)")
  }
  func combine(_ mine: Health, _ peers: [NodeHealthView], required: ((Int) -> Int)? = nil) -> QuorumHealth {
    QuorumHealth.combine(
      own: mine, node: "127.0.0.1:8081", region: F.east, peers: peers, required: required ?? majority)
  }

  @Test("Given this node sees the region failing and the other two see it healthy, then it is not unhealthy")
  func oneFailingOfThree() {
    let verdict = combine(
      own(.unhealthy, since: t0), [peer("127.0.0.1:8083", .healthy), peer("127.0.0.1:8082", .healthy)])
    #expect(verdict.health.status == .degraded)
    #expect(verdict.health.status.canReceiveTraffic)
    #expect((verdict.failing, verdict.live, verdict.required) == (1, 3, 2))
    #expect(verdict.views.map(\.node) == ["127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083"])
    #expect(
      verdict.health.reason
        == "1 of 3 nodes see it failing, below the quorum of 2, so it is not judged unhealthy: "
        + "127.0.0.1:8081 (this node) sees \(F.east) failing since \(t0.formatted(.iso8601)) (probe says unhealthy); "
        + "127.0.0.1:8082 and 127.0.0.1:8083 see it healthy.")
  }

  @Test(
    "Given two of three nodes see the region failing, then it is unhealthy since the earliest failing view")
  func twoFailingOfThree() {
    let verdict = combine(
      own(.healthy),
      [peer("b", .unhealthy, since: t0.addingTimeInterval(5)), peer("c", .unhealthy, since: t0)])
    #expect(verdict.health.status == .unhealthy)
    #expect(verdict.health.since == t0)
    #expect(verdict.health.reason.hasPrefix("2 of 3 nodes see it failing, quorum 2: "))
    #expect(verdict.health.reason.contains("b and c see it failing"))
  }

  @Test("Given a peer's view is the only failing one, then this node's healthy view keeps it from unhealthy")
  func peerAloneFailing() {
    let verdict = combine(own(.healthy), [peer("b", .unhealthy, since: t0), peer("c", .healthy)])
    #expect(verdict.health.status == .degraded)
  }

  @Test("Given every node sees it healthy, then this node's verdict stands, with the views named")
  func allHealthy() {
    let verdict = combine(own(.healthy), [peer("b", .healthy), peer("c", .healthy)])
    #expect(verdict.health.status == .healthy)
    #expect(verdict.health.reason.hasPrefix("probe says healthy; "))
    #expect(verdict.health.reason.hasSuffix("127.0.0.1:8081 (this node), b and c see \(F.east) healthy."))
  }

  @Test("Given no other live node, then this node's own verdict decides (a single survivor acts alone)")
  func alone() {
    let verdict = combine(own(.unhealthy, since: t0), [])
    #expect(verdict.health.status == .unhealthy)
    #expect((verdict.failing, verdict.live, verdict.required) == (1, 1, 1))
  }

  @Test("Given two live nodes, one failing, then a majority (2) is not met")
  func twoNodesSplit() {
    #expect(combine(own(.unhealthy), [peer("b", .healthy)]).health.status == .degraded)
    #expect(combine(own(.unhealthy), [peer("b", .unhealthy)]).health.status == .unhealthy)
  }

  @Test("Given a node that just started (no verdict), then it counts as live and not failing")
  func justStarted() {
    let verdict = combine(own(.unhealthy), [peer("b", .unknown), peer("c", .healthy)])
    #expect(verdict.health.status == .degraded)
    #expect(verdict.health.reason.contains("b has no verdict on it yet"))
    let quorum = combine(own(.unhealthy), [peer("b", .unknown), peer("c", .unhealthy)])
    #expect(quorum.health.status == .unhealthy)
  }

  @Test(
    "Given this node has no verdict yet, then the others' known verdicts stand in, failing only by quorum")
  func ownUnknown() {
    #expect(combine(own(.unknown), [peer("b", .healthy), peer("c", .healthy)]).health.status == .healthy)
    #expect(combine(own(.unknown), [peer("b", .healthy), peer("c", .degraded)]).health.status == .degraded)
    #expect(combine(own(.unknown), [peer("b", .unknown), peer("c", .unknown)]).health.status == .unknown)
    #expect(
      combine(own(.unknown), [peer("b", .unhealthy), peer("c", .unhealthy)]).health.status == .unhealthy)
    #expect(combine(own(.unknown), [peer("b", .unhealthy), peer("c", .healthy)]).health.status == .degraded)
  }

  @Test("Given a quorum of one, then any single failing view is enough; given more than live, all are needed")
  func configuredCounts() {
    #expect(
      combine(own(.healthy), [peer("b", .unhealthy), peer("c", .healthy)], required: { _ in 1 }).health.status
        == .unhealthy)
    let all = combine(own(.unhealthy), [peer("b", .unhealthy)], required: { _ in 5 })
    #expect(all.required == 2)
    #expect(all.health.status == .unhealthy)
  }

  @Test(
    "Given the last result, when only this node's healthy reason changed, then the views' sentence is reused")
  func sentenceReused() {
    let peers = [peer("b", .healthy), peer("c", .unhealthy, since: t0)]
    let first = combine(own(.healthy), peers)
    var later = Health(status: .healthy, reason: "answered in 7 ms")
    later.since = t0
    let next = QuorumHealth.combine(
      own: later, node: "127.0.0.1:8081", region: F.east, peers: peers, required: majority, previous: first)
    #expect(
      next
        == QuorumHealth.combine(
          own: later, node: "127.0.0.1:8081", region: F.east, peers: peers, required: majority))
    #expect(next.health.reason.hasPrefix("1 of 3 nodes see it failing"))
    let changed = QuorumHealth.combine(
      own: later, node: "127.0.0.1:8081", region: F.east, peers: [peer("b", .healthy), peer("c", .healthy)],
      required: majority, previous: first)
    #expect(changed.health.status == .healthy)
    #expect(
      changed.health.reason == "answered in 7 ms; 127.0.0.1:8081 (this node), b and c see \(F.east) healthy.")
  }
}
