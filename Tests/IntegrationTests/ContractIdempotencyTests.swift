import Configuration
import Foundation
import Switchboard
import Testing

/// `Idempotency-Key` at the HTTP level against a real server: a retry returns the first response and changes
/// nothing; the same key for another request is refused; keys belong to their token.
@Suite("API contract: Idempotency-Key", .serialized)
struct ContractIdempotencyTests {
  static let freeze =
    #"{"scope":"service:api.example.com","kind":"freeze","reason":"idempotency","duration_seconds":600}"#

  /// Every override, active or not.
  static func overrides(_ server: ContractServer) async throws -> [[String: Any]] {
    let answer = try await server.call("GET", "/api/v1/overrides?include=all", token: server.token(.viewer))
    try #require(answer.status == 200, "\(answer)")
    return try #require(answer.object?["overrides"] as? [[String: Any]], "\(answer)")
  }

  /// Events caused by a token (not by the engine itself), oldest first.
  /// POST /api/v1/overrides with `key` as the Idempotency-Key, as the token of `role`.
  static func createOverride(
    _ server: ContractServer, as role: TokenRole, key: String, json: String = freeze
  ) async throws -> RawHTTP.Answer {
    try await server.call(
      "POST", "/api/v1/overrides", token: server.token(role), json: json, headers: [("Idempotency-Key", key)])
  }

  static func tokenEvents(_ server: ContractServer) async throws -> [[String: Any]] {
    let answer = try await server.call(
      "GET", "/api/v1/events?limit=1000&order=oldest", token: server.token(.viewer))
    try #require(answer.status == 200, "\(answer)")
    let events = try #require(answer.object?["events"] as? [[String: Any]], "\(answer)")
    return events.filter { ($0["actor"] as? String ?? "") != "switchboard" }
  }

  @Test(
    "Given a created override, when the same POST is retried with the same key, then the first response comes back replayed and nothing more is created"
  )
  func retryReplaysTheFirstResponse() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let key = UUID().uuidString

    let first = try await Self.createOverride(server, as: .operator, key: key)
    let second = try await Self.createOverride(server, as: .operator, key: key)

    try #require(first.status == 201, "\(first)")
    #expect(first.header("Idempotent-Replayed") == nil, "\(first)")
    #expect(second.status == first.status, "\(second)")
    #expect(second.body == first.body, "first:\n\(first)\nretry:\n\(second)")
    #expect(second.header("Idempotent-Replayed") == "true", "\(second)")
    #expect(second.header("Location") == first.header("Location"), "\(second)")
    #expect(second.mediaType == first.mediaType, "\(second)")
    #expect(try await Self.overrides(server).count == 1)
    let created = try await Self.tokenEvents(server).filter { $0["kind"] as? String == "override.created" }
    #expect(created.count == 1, "\(created)")
  }

  @Test("Given a used key, when it comes with another body, then 422 and nothing changes")
  func sameKeyAnotherBodyIsRefused() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let key = UUID().uuidString
    let first = try await Self.createOverride(server, as: .operator, key: key)
    try #require(first.status == 201, "\(first)")
    let eventsBefore = try await Self.tokenEvents(server).count

    let other = try await Self.createOverride(
      server, as: .operator, key: key, json: #"{"scope":"global","kind":"freeze","reason":"another request"}"#
    )

    #expect(other.status == 422, "\(other)")
    #expect(other.mediaType == "application/problem+json", "\(other)")
    #expect(other.text.contains(key), "the problem should name the key: \(other)")
    #expect(try await Self.overrides(server).count == 1)
    #expect(try await Self.tokenEvents(server).count == eventsBefore)
  }

  @Test(
    "Given a key used by one token, when another token sends the same request with it, then it is a new request"
  )
  func keysBelongToTheirToken() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let key = UUID().uuidString
    let byOperator = try await Self.createOverride(server, as: .operator, key: key)
    let byAdmin = try await Self.createOverride(server, as: .admin, key: key)

    #expect(byOperator.status == 201, "\(byOperator)")
    #expect(byAdmin.status == 201, "\(byAdmin)")
    #expect(byAdmin.header("Idempotent-Replayed") == nil, "\(byAdmin)")
    #expect(byAdmin.object?["actor"] as? String == "contract-admin", "\(byAdmin)")
    #expect(try await Self.overrides(server).count == 2)
  }

  @Test(
    "Given a manual failover, when it is retried with the same key, then one workflow runs and the retry says so"
  )
  func failoverRetryStartsOneWorkflow() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let key = UUID().uuidString
    let body = #"{"target_region":"us-west-2","reason":"idempotent failover"}"#
    let target = "/api/v1/services/\(ContractServer.service)/failover"

    let first = try await server.call(
      "POST", target, token: server.token(.operator), json: body, headers: [("Idempotency-Key", key)])
    let second = try await server.call(
      "POST", target, token: server.token(.operator), json: body, headers: [("Idempotency-Key", key)])

    try #require(first.status == 202, "\(first)")
    #expect(first.object?["workflow_id"] is String, "\(first)")
    #expect(second.status == 202, "\(second)")
    #expect(second.body == first.body, "first:\n\(first)\nretry:\n\(second)")
    #expect(second.header("Idempotent-Replayed") == "true", "\(second)")
    let workflows = try await server.call(
      "GET", "/api/v1/services/\(ContractServer.service)/workflows", token: server.token(.viewer))
    try #require(workflows.status == 200, "\(workflows)")
    #expect((workflows.object?["workflows"] as? [Any])?.count == 1, "\(workflows)")
  }

  @Test(
    "Given a key that is not 1 to 255 visible ASCII characters, then 400 naming the header, and nothing changes"
  )
  func invalidKeyIsRefused() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    for key in [String(repeating: "k", count: 256), "two words"] {
      let answer = try await Self.createOverride(server, as: .operator, key: key)
      #expect(answer.status == 400, "\(answer)")
      #expect(answer.text.contains("Idempotency-Key"), "\(answer)")
    }
    #expect(try await Self.overrides(server).isEmpty)
  }
}
