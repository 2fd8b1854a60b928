import Foundation
import Switchboard
import Testing

/// Every mutation records the token's name as the actor of its events, against a real `switchboard serve`.
@Suite("API contract: actors", .serialized)
struct ContractActorTests {
  @Test(
    "Given the operator token, when it creates an override, then the override and its event name the token")
  func mutationRecordsTheTokensName() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let created = try await server.call(
      "POST", "/api/v1/overrides", token: server.token(.operator),
      json:
        #"{"scope":"service:api.example.com","kind":"freeze","reason":"actor check","duration_seconds":600}"#)
    try #require(created.status == 201, "\(created)")
    let id = try #require(created.object?["id"] as? String, "\(created)")
    #expect(created.object?["actor"] as? String == "contract-operator", "\(created)")

    let events = try await server.call("GET", "/api/v1/events?limit=1000", token: server.token(.viewer))
    try #require(events.status == 200, "\(events)")
    let list = try #require(events.object?["events"] as? [[String: Any]], "\(events)")
    // A fresh server: every override event is this test's.
    let mine = list.filter { $0["kind"] as? String == "override.created" }
    #expect(mine.count == 1, "one override.created event expected:\n\(events)")
    for event in mine {
      #expect(event["actor"] as? String == "contract-operator", "\(event)")
    }

    let cleared = try await server.call("DELETE", "/api/v1/overrides/\(id)", token: server.token(.admin))
    #expect(cleared.status == 200, "\(cleared)")
    #expect(cleared.object?["cleared_by"] as? String == "contract-admin", "\(cleared)")
  }

  /// Events newer than `seq`, oldest first.
  static func events(after seq: Int, _ server: ContractServer) async throws -> [[String: Any]] {
    let answer = try await server.call("GET", "/api/v1/events?limit=1000", token: server.token(.viewer))
    try #require(answer.status == 200, "\(answer)")
    let events = try #require(answer.object?["events"] as? [[String: Any]], "\(answer)")
    return events.filter { ($0["seq"] as? Int ?? 0) > seq }.reversed()
  }

  /// Waits (bounded) until the service has no workflow in flight and its minimum dwell (1 s) has passed, or until
  /// its workflow waits on a runbook approval (which the approval operation decides).
  static func settle(_ server: ContractServer) async throws {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let state = try await server.call(
        "GET", "/api/v1/services/\(ContractServer.service)/failover", token: server.token(.viewer))
      if state.status == 200, state.object?["workflow"] is NSNull {
        try await Task.sleep(nanoseconds: 1_500_000_000)
        return
      }
      if let id = (state.object?["workflow"] as? [String: Any])?["id"] as? String {
        let workflow = try await server.call("GET", "/api/v1/workflows/\(id)", token: server.token(.viewer))
        if workflow.object?["state"] as? String == "pending_approval" { return }
      }
      try await Task.sleep(nanoseconds: 200_000_000)
    }
    Issue.record("the service still had a workflow in flight after 60 s:\n\(server.serve.output)")
  }

  @Test(
    "Given every mutation of the document, when each is made with the least role's token, then its events name that token as the actor"
  )
  func everyMutationRecordsItsActor() async throws {
    // Every workflow waits on a runbook approval, which the approval operation decides.
    let server = try await ContractServer(
      runbookYAML: "\n    runbook:\n      before_traffic:\n"
        + "        - {name: contract-ok, kind: approval, message: \"Go?\", timeout: 5m}")
    defer { server.stop() }
    let contract = try await server.contract()
    // Overrides exist before they are cleared; a failover comes before the approval it waits on, and both before
    // the failback that undoes it.
    func rank(_ operation: OpenAPIContract.Operation) -> Int {
      // One drill is updated, paused, resumed and cancelled before another is created at the same time (two
      // drills at one time on one service would overlap).
      if operation.path.hasPrefix("/api/v1/drills") {
        if operation.path == "/api/v1/drills" { return 4 }
        for (index, action) in ["/pause", "/resume", "/cancel"].enumerated()
        where operation.path.hasSuffix(action) {
          return index + 1
        }
        return 0
      }
      if operation.method == "DELETE" { return 4 }
      if operation.path.hasSuffix("/failback") { return 3 }
      if operation.path.hasSuffix("/approval") { return 2 }
      return operation.path.hasSuffix("/failover") ? 1 : 0
    }
    var workflowID = "none"
    let mutations = contract.operations.filter(\.isMutation).sorted { rank($0) < rank($1) }
    try #require(!mutations.isEmpty)
    let created = try await server.call(
      "POST", "/api/v1/overrides", token: server.token(.admin),
      json: #"{"scope":"region:us-east-1","kind":"freeze","reason":"to be cleared"}"#)
    try #require(created.status == 201, "\(created)")
    let overrideID = try #require(created.object?["id"] as? String)
    let drill = try await server.call(
      "POST", "/api/v1/drills", token: server.token(.admin),
      json:
        #"{"subject":"service:api.example.com","target_region":"us-west-2","cron":"0 3 * * SUN","reason":"x"}"#
    )
    try #require(drill.status == 201, "\(drill)")
    let drillID = try #require(drill.object?["id"] as? String)

    for operation in mutations {
      let role = try #require(operation.requiredRole, "\(operation) names no role")
      let name = "contract-\(role.rawValue)"
      let last = try await Self.events(after: 0, server).last?["seq"] as? Int ?? 0
      let answer = try await server.send(
        operation, token: server.token(role),
        parameters: ["override": overrideID, "drill": drillID, "workflow": workflowID])
      if let id = answer.object?["workflow_id"] as? String { workflowID = id }
      if operation.id == "abortDrill" {
        // Only a running live drill can be aborted (409 otherwise, nothing recorded): DrillAPITests.abort and
        // DrillEndToEndTests check its actor.
        #expect(answer.status == 409, "\(operation) as \(name): \(answer)")
        continue
      }
      #expect((200..<300).contains(answer.status), "\(operation) as \(name): \(answer)")

      // Events a handler appends after answering are waited for (bounded).
      var new = try await Self.events(after: last, server)
      let deadline = Date().addingTimeInterval(10)
      while !new.contains(where: { $0["actor"] as? String == name }), Date() < deadline {
        try await Task.sleep(nanoseconds: 100_000_000)
        new = try await Self.events(after: last, server)
      }
      let actors = new.compactMap { $0["actor"] as? String }
      #expect(actors.contains(name), "\(operation) as \(name) recorded no event naming it: \(new)")
      #expect(
        actors.allSatisfy { $0 == name || !$0.hasPrefix("contract-") },
        "\(operation) as \(name): events name another token: \(actors)")
      let kinds = new.compactMap { $0["kind"] as? String }
      print("ContractActorTests: \(operation) as \(name) → \(answer.status), events \(kinds)")
      if answer.status == 202 || operation.path.hasSuffix("/approval") { try await Self.settle(server) }
    }
  }
}
