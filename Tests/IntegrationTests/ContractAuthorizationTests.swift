import Configuration
import Foundation
import Switchboard
import Testing

/// The authorization contract, driven by the OpenAPI document the server serves: every operation that names a
/// least role (`x-required-role`) is called with no token, a wrong token and each role's token, against a real
/// `switchboard serve`; every mutation must name one, and every operation documents the refusals it can bring.
@Suite("API contract: authorization", .serialized)
struct ContractAuthorizationTests {
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
    let contract = try await server.contract()

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
    let contract = try await server.contract()
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
    let contract = try await server.contract()
    let guarded = contract.operations.filter { $0.requiredRole != nil }
    try #require(!guarded.isEmpty, "no operation names x-required-role")

    var checked = 0
    for operation in guarded {
      let required = operation.requiredRole!
      let anonymous = try await server.send(operation, token: nil)
      let problems = Self.unauthorizedProblems(anonymous)
      #expect(problems.isEmpty, "\(operation) without a token: \(problems)\n\(anonymous)")

      let wrong = try await server.send(operation, token: TokenFactory.make(name: "x", role: .admin).token)
      let wrongProblems = Self.unauthorizedProblems(wrong)
      #expect(wrongProblems.isEmpty, "\(operation) with a wrong token: \(wrongProblems)\n\(wrong)")

      for role in TokenRole.allCases {
        let answer = try await server.send(operation, token: server.token(role))
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
    let contract = try await server.contract()
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
}
