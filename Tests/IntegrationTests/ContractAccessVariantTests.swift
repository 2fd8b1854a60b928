import Configuration
import Foundation
import Switchboard
import Testing

/// The configuration's two access variants against a real `switchboard serve`: an admin token from
/// `SWITCHBOARD_ADMIN_TOKEN`, and `public_status: true`.
@Suite("API contract: SWITCHBOARD_ADMIN_TOKEN and public_status", .serialized)
struct ContractAccessVariantTests {
  @Test(
    "Given SWITCHBOARD_ADMIN_TOKEN, then that token is an admin named admin beside the file's tokens, and its mutations say so"
  )
  func adminTokenFromTheEnvironment() async throws {
    let secret = TokenFactory.make(name: "admin", role: .admin).token
    let server = try await ContractServer(environmentAdminToken: secret)
    defer { server.stop() }
    let contract = try await server.contract()

    for operation in contract.operations.filter({ $0.requiredRole == .admin }) {
      let answer = try await server.send(operation, token: secret)
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
    let closedContract = try await closed.contract()
    let statusOperations = closedContract.operations.filter(\.isPublicWhenConfigured)
    for operation in statusOperations {
      let answer = try await closed.send(operation, token: nil)
      #expect(answer.status == 401, "\(operation) without public_status, no token: \(answer)")
    }
    closed.stop()

    let server = try await ContractServer(publicStatus: true)
    defer { server.stop() }
    let contract = try await server.contract()
    try #require(
      !contract.operations.filter(\.isPublicWhenConfigured).isEmpty,
      "no operation is marked public when configured (security: [{}, bearer: []])")
    for operation in contract.operations where operation.requiredRole != nil {
      let anonymous = try await server.send(operation, token: nil)
      if operation.isPublicWhenConfigured {
        #expect(
          ![401, 403].contains(anonymous.status), "\(operation) with public_status, no token: \(anonymous)")
        #expect(!operation.isMutation, "\(operation) is public when configured but changes state")
      } else {
        #expect(anonymous.status == 401, "\(operation) with public_status, no token: \(anonymous)")
      }
      let wrong = try await server.send(operation, token: "not-a-token")
      #expect(wrong.status == 401, "\(operation) with public_status, a wrong token: \(wrong)")
    }
  }
}
