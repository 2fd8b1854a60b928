import Foundation
import Switchboard
import Testing

/// The authorization contract, driven by the OpenAPI document the server serves: every operation that names a
/// least role (`x-required-role`) is called with no token, a wrong token and each role's token, against a real
/// `switchboard serve`; every mutation must name one; and the token's name is the actor of what it changes.
@Suite("API contract: authorization", .serialized)
struct ContractAuthorizationTests {
  /// The document as served, parsed.
  static func contract(_ server: ContractServer) async throws -> OpenAPIContract {
    let answer = try await server.call("GET", "/openapi.yaml", token: nil)
    try #require(answer.status == 200, "GET /openapi.yaml: \(answer)")
    return try OpenAPIContract(yaml: answer.text)
  }

  /// Sends `operation` (realistic parameters, a sample body) with `token`.
  static func send(_ operation: OpenAPIContract.Operation, _ server: ContractServer, token: String?)
    async throws -> RawHTTP.Answer
  {
    if let body = operation.sampleBody {
      return try await server.call(
        operation.method, operation.target(), token: token, json: body,
        headers: [("Idempotency-Key", UUID().uuidString)])
    }
    return try await server.call(operation.method, operation.target(), token: token)
  }

  /// Problems with a 401 answer, empty when it is right.
  static func unauthorizedProblems(_ answer: RawHTTP.Answer) -> [String] {
    var problems: [String] = []
    if answer.status != 401 { problems.append("status \(answer.status), expected 401") }
    if answer.mediaType != "application/problem+json" { problems.append("Content-Type \(answer.mediaType)") }
    if answer.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") != true {
      problems.append("WWW-Authenticate \(answer.header("WWW-Authenticate") ?? "missing")")
    }
    if answer.object?["status"] as? Int != 401 { problems.append("problem document without status 401") }
    return problems
  }

  @Test("Given the served document, then every mutation and every non-public operation names a least role")
  func everyOperationNamesItsRole() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await Self.contract(server)

    #expect(!contract.operations.isEmpty)
    for operation in contract.operations {
      if operation.isMutation {
        #expect(operation.requiredRole != nil, "\(operation) changes state but names no x-required-role")
        #expect(!operation.isPublic, "\(operation) changes state but is declared public (security: [])")
      }
      if let text = operation.requiredRoleText {
        #expect(operation.requiredRole != nil, "\(operation): x-required-role \(text) is not a role")
      } else {
        #expect(operation.isPublic, "\(operation) needs a token (security) but names no x-required-role")
      }
    }
  }

  @Test(
    "Given the served document, then every operation documents the refusals its role, body and method can bring"
  )
  func everyOperationDocumentsItsRefusals() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await Self.contract(server)
    for operation in contract.operations {
      var expected: [String] = []
      if operation.requiredRole != nil { expected.append("401") }
      if let role = operation.requiredRole, role > .viewer { expected.append("403") }
      if operation.sampleBody != nil { expected += ["400", "413", "415"] }
      // Idempotency-Key: the same key with another request is 422; a retry while the first runs is 409.
      if operation.method == "POST" { expected += ["409", "422"] }
      let missing = expected.filter { !operation.responseStatuses.contains($0) }
      #expect(missing.isEmpty, "\(operation) does not document \(missing)")
    }
  }

  @Test(
    "Given every operation with a least role, when called with no token, a wrong token and each role, then 401, 401, 403 below the role, and neither at or above it"
  )
  func authorizationMatrix() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await Self.contract(server)
    let guarded = contract.operations.filter { $0.requiredRole != nil }
    try #require(!guarded.isEmpty, "no operation names x-required-role")

    var checked = 0
    for operation in guarded {
      let required = operation.requiredRole!
      let anonymous = try await Self.send(operation, server, token: nil)
      let problems = Self.unauthorizedProblems(anonymous)
      #expect(problems.isEmpty, "\(operation) without a token: \(problems)\n\(anonymous)")

      let wrong = try await Self.send(
        operation, server, token: TokenFactory.make(name: "x", role: .admin).token)
      let wrongProblems = Self.unauthorizedProblems(wrong)
      #expect(wrongProblems.isEmpty, "\(operation) with a wrong token: \(wrongProblems)\n\(wrong)")

      for role in TokenRole.allCases {
        let answer = try await Self.send(operation, server, token: server.token(role))
        if role < required {
          #expect(answer.status == 403, "\(operation) as \(role.rawValue): \(answer)")
          #expect(
            answer.mediaType == "application/problem+json", "\(operation) as \(role.rawValue): \(answer)")
          #expect(
            answer.object?["required_role"] as? String == required.rawValue,
            "\(operation) as \(role.rawValue): the problem must name the required role\n\(answer)")
          #expect(answer.text.contains(required.rawValue), "\(operation): \(answer)")
        } else {
          #expect(
            ![401, 403].contains(answer.status),
            "\(operation) as \(role.rawValue) (needs \(required.rawValue)): \(answer)")
        }
        checked += 1
      }
    }
    print(
      "ContractAuthorizationTests: \(guarded.count) operations × (none, wrong, \(checked / guarded.count) roles)"
    )
  }

  @Test(
    "Given a request with a malformed Authorization header, then it is 401 with problem+json, never a pass-through"
  )
  func malformedAuthorization() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await Self.contract(server)
    let operation = try #require(contract.operations.first { $0.requiredRole == .viewer && !$0.isMutation })
    let admin = server.token(.admin)
    for header in ["Basic \(admin)", "Bearer", "Bearer  ", admin, "bearer \(admin)x"] {
      let answer = try await server.call(
        operation.method, operation.target(), token: nil, headers: [("Authorization", header)])
      let problems = Self.unauthorizedProblems(answer)
      #expect(
        problems.isEmpty, "\(operation) with Authorization: <\(header.prefix(8))…>: \(problems)\n\(answer)")
      #expect(!answer.text.contains(admin), "the token must never be echoed")
    }
    // The scheme is case-insensitive (RFC 9110 §11.1).
    let lower = try await server.call(
      operation.method, operation.target(), token: nil, headers: [("Authorization", "bearer \(admin)")])
    #expect(lower.status != 401, "\(lower)")
  }

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

  /// Waits (bounded) until the service has no workflow in flight and its minimum dwell (1 s) has passed.
  static func settle(_ server: ContractServer) async throws {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let state = try await server.call(
        "GET", "/api/v1/services/\(ContractServer.service)/failover", token: server.token(.viewer))
      if state.status == 200, state.object?["workflow"] is NSNull {
        try await Task.sleep(nanoseconds: 1_500_000_000)
        return
      }
      try await Task.sleep(nanoseconds: 200_000_000)
    }
    Issue.record("the service still had a workflow in flight after 60 s:\n\(server.serve.output)")
  }

  @Test(
    "Given every mutation of the document, when each is made with the least role's token, then its events name that token as the actor"
  )
  func everyMutationRecordsItsActor() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let contract = try await Self.contract(server)
    // Overrides exist before they are cleared; a failover comes before the failback that undoes it.
    func rank(_ operation: OpenAPIContract.Operation) -> Int {
      if operation.method == "DELETE" { return 3 }
      if operation.path.hasSuffix("/failback") { return 2 }
      return operation.path.hasSuffix("/failover") ? 1 : 0
    }
    let mutations = contract.operations.filter(\.isMutation).sorted { rank($0) < rank($1) }
    try #require(!mutations.isEmpty)
    let created = try await server.call(
      "POST", "/api/v1/overrides", token: server.token(.admin),
      json: #"{"scope":"region:us-east-1","kind":"freeze","reason":"to be cleared"}"#)
    try #require(created.status == 201, "\(created)")
    let overrideID = try #require(created.object?["id"] as? String)

    for operation in mutations {
      let role = try #require(operation.requiredRole, "\(operation) names no role")
      let name = "contract-\(role.rawValue)"
      let last = try await Self.events(after: 0, server).last?["seq"] as? Int ?? 0
      let target = operation.target(["override": overrideID])
      var headers = [("Idempotency-Key", UUID().uuidString)]
      if operation.sampleBody == nil { headers = [] }
      let answer =
        if let body = operation.sampleBody {
          try await server.call(
            operation.method, target, token: server.token(role), json: body, headers: headers)
        } else {
          try await server.call(operation.method, target, token: server.token(role))
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
      print("ContractAuthorizationTests: \(operation) as \(name) → \(answer.status), events \(kinds)")
      if answer.status == 202 { try await Self.settle(server) }
    }
  }

  @Test(
    "Given SWITCHBOARD_ADMIN_TOKEN, then that token is an admin named admin beside the file's tokens, and its mutations say so"
  )
  func adminTokenFromTheEnvironment() async throws {
    let secret = TokenFactory.make(name: "admin", role: .admin).token
    let server = try await ContractServer(environmentAdminToken: secret)
    defer { server.stop() }
    let contract = try await Self.contract(server)

    for operation in contract.operations.filter({ $0.requiredRole == .admin }) {
      let answer = try await Self.send(operation, server, token: secret)
      #expect(![401, 403].contains(answer.status), "\(operation) with SWITCHBOARD_ADMIN_TOKEN: \(answer)")
    }
    let created = try await server.call(
      "POST", "/api/v1/overrides", token: secret,
      json: #"{"scope":"global","kind":"freeze","reason":"environment admin"}"#)
    #expect(created.status == 201, "\(created)")
    #expect(created.object?["actor"] as? String == "admin", "\(created)")
    let viaFile = try await server.call("GET", "/api/v1/overrides", token: server.token(.admin))
    #expect(viaFile.status == 200, "the file's admin token must still work: \(viaFile)")
    #expect(!server.serve.output.contains(secret), "the token must never be logged")
  }

  @Test(
    "Given public_status, then status operations answer without a token, a wrong token is still 401, and everything else still needs its role"
  )
  func publicStatus() async throws {
    let closed = try await ContractServer()
    let closedContract = try await Self.contract(closed)
    let statusOperations = closedContract.operations.filter(\.isPublicWhenConfigured)
    for operation in statusOperations {
      let answer = try await Self.send(operation, closed, token: nil)
      #expect(answer.status == 401, "\(operation) without public_status, no token: \(answer)")
    }
    closed.stop()

    let server = try await ContractServer(publicStatus: true)
    defer { server.stop() }
    let contract = try await Self.contract(server)
    try #require(
      !contract.operations.filter(\.isPublicWhenConfigured).isEmpty,
      "no operation is marked public when configured (security: [{}, bearer: []])")
    for operation in contract.operations where operation.requiredRole != nil {
      let anonymous = try await Self.send(operation, server, token: nil)
      if operation.isPublicWhenConfigured {
        #expect(
          ![401, 403].contains(anonymous.status), "\(operation) with public_status, no token: \(anonymous)")
        #expect(!operation.isMutation, "\(operation) is public when configured but changes state")
      } else {
        #expect(anonymous.status == 401, "\(operation) with public_status, no token: \(anonymous)")
      }
      let wrong = try await Self.send(operation, server, token: "not-a-token")
      #expect(wrong.status == 401, "\(operation) with public_status, a wrong token: \(wrong)")
    }
  }
}
