import FailoverCore
import Foundation
import Switchboard
import Testing

/// Overrides through the API: lifecycle, actors in the audit log, validation, idempotency.
@Suite("API overrides")
struct OverrideAPITests {
  static let block =
    #"{"scope":"service:api.example.com","kind":"block","reason":"deploy","duration_seconds":600}"#

  @Test(
    "Given an operator, when they create, read and clear an override, then each step is audited with their name"
  )
  func lifecycle() async throws {
    let api = try APIHarness()
    try await api.warmUp()

    let created = try await api.send(
      .POST, "/api/v1/overrides", token: APIHarness.operatorToken, json: Self.block)
    #expect(created.status == 201)
    let id = try #require(created.json["id"] as? String)
    #expect(created.header("Location") == "/api/v1/overrides/\(id)")
    #expect(created.json["actor"] as? String == "grace")
    #expect(created.json["active"] as? Bool == true)

    let listed = try await api.send(.GET, "/api/v1/overrides", token: APIHarness.viewer)
    #expect((listed.json["overrides"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
    let service = try await api.send(.GET, "/api/v1/services/api.example.com")
    #expect((service.json["overrides"] as? [[String: Any]])?.count == 1)

    let cleared = try await api.send(.DELETE, "/api/v1/overrides/\(id)", token: APIHarness.operatorToken)
    #expect(cleared.status == 200)
    #expect(cleared.json["cleared_by"] as? String == "grace")
    #expect(cleared.json["active"] as? Bool == false)
    let again = try await api.send(.DELETE, "/api/v1/overrides/\(id)", token: APIHarness.operatorToken)
    #expect(again.status == 200)
    #expect(again.body == cleared.body)

    #expect(((try await api.send(.GET, "/api/v1/overrides")).json["overrides"] as? [Any])?.isEmpty == true)
    #expect(
      ((try await api.send(.GET, "/api/v1/overrides?include=all")).json["overrides"] as? [Any])?.count == 1)
    let events = try await api.send(
      .GET, "/api/v1/events?kind=override.created,override.cleared&order=oldest")
    let audited = (events.json["events"] as? [[String: Any]]) ?? []
    #expect(audited.map { $0["kind"] as? String } == ["override.created", "override.cleared"])
    #expect(audited.map { $0["actor"] as? String } == ["grace", "grace"])
  }

  @Test(
    "Given malformed, mistyped, unknown, out-of-range, oversized or non-JSON bodies, then 400/413/415/422 name the problem and nothing changes"
  )
  func validation() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let before = try await api.store.lastEventSeq()
    let cases: [(String?, [(String, String)], Int, String)] = [
      (#"{"scope":"global","kind":"freeze""#, [], 400, "not valid JSON"),
      (#"["global"]"#, [], 400, "must be a JSON object"),
      (#"{"scope":"global","kind":"freeze","reason":"x","colour":"red"}"#, [], 400, "colour is not a field"),
      (#"{"scope":"global","kind":"freeze","reason":42}"#, [], 400, "reason must be a string, not a number"),
      (
        #"{"scope":"global","kind":"freeze","reason":"x","duration_seconds":10}"#, [], 400,
        "between 60 and 259200"
      ),
      (#"{"scope":"planet:mars","kind":"freeze","reason":"x"}"#, [], 400, "scope must be global"),
      (#"{"scope":"global","kind":"freeze","reason":"   "}"#, [], 400, "reason must not be empty"),
      (#"{"scope":"region:eu-west-9","kind":"drain","reason":"x"}"#, [], 422, "eu-west-9"),
      (#"{"scope":"global","kind":"freeze","reason":"x"}"#, [("Content-Type", "text/plain")], 415, "JSON"),
      ("{\"reason\":\"" + String(repeating: "a", count: 20_000) + "\"}", [], 413, "at most 16384"),
    ]
    for (body, headers, status, phrase) in cases {
      var sent = headers
      if headers.isEmpty { sent = [("Content-Type", "application/json")] }
      let answer = try await sendRaw(api, body: body ?? "", headers: sent)
      #expect(answer.status == status, "\(body ?? "") → \(answer.text)")
      #expect(answer.header("Content-Type") == "application/problem+json")
      #expect(answer.text.contains(phrase), "\(answer.text)")
    }
    #expect(
      ((try await api.send(.GET, "/api/v1/overrides?include=all")).json["overrides"] as? [Any])?.isEmpty
        == true)
    #expect(try await api.store.lastEventSeq() == before)
  }

  @Test(
    "Given a body naming a member twice, when an override or a failover is posted, then 400 names the member and nothing changes"
  )
  func duplicateMembers() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let before = try await api.store.lastEventSeq()
    let cases: [(String, String, String)] = [
      (
        "/api/v1/overrides",
        #"{"scope":"global","kind":"freeze","reason":"x","duration_seconds":60,"duration_seconds":61}"#,
        "/duration_seconds"
      ),
      ("/api/v1/overrides", #"{"scope":"global","kind":"freeze","reason":"x","reason":"y"}"#, "/reason"),
      (
        "/api/v1/services/api.example.com/failover",
        #"{"target_region":"us-west-2","reason":"a","reason":"b"}"#,
        "/reason"
      ),
    ]
    for (path, body, pointer) in cases {
      let answer = try await api.send(
        .POST, path, token: nil, json: nil,
        headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(APIHarness.admin)")],
        body: body)
      let name = String(pointer.dropFirst())
      #expect(answer.status == 400, "\(body) → \(answer.text)")
      #expect(answer.header("Content-Type") == "application/problem+json")
      #expect(
        answer.json["detail"] as? String
          == "\(name) appears more than once in the body; send each member once.")
      let errors = answer.json["errors"] as? [[String: Any]]
      #expect(errors?.first?["pointer"] as? String == pointer, "\(answer.text)")
    }
    let once = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"global","kind":"freeze","reason":"x","duration_seconds":60}"#)
    #expect(once.status == 201, "a body naming each member once is still accepted: \(once.text)")
    #expect(try await api.store.lastEventSeq() == before + 1)
  }

  private func sendRaw(_ api: APIHarness, body: String, headers: [(String, String)]) async throws -> APIResult
  {
    var all = headers
    all.append(("Authorization", "Bearer \(APIHarness.admin)"))
    return try await api.send(.POST, "/api/v1/overrides", token: nil, json: nil, headers: all, body: body)
  }

  @Test(
    "Given expires_at instead of a duration, then the override ends then; past or doubled expiries are refused"
  )
  func expiresAt() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let end = APIJSON.timestamp(api.clock.now.addingTimeInterval(7200))
    let created = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"global","kind":"freeze","reason":"x","expires_at":"\#(end)"}"#)
    #expect(created.status == 201, "\(created.text)")
    #expect(created.json["expires_at"] as? String == end)
    let past = APIJSON.timestamp(api.clock.now.addingTimeInterval(-60))
    let refused = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"global","kind":"freeze","reason":"x","expires_at":"\#(past)"}"#)
    #expect(refused.status == 422)
    #expect(refused.text.contains("not in the future"))
    let both = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"global","kind":"freeze","reason":"x","expires_at":"\#(end)","duration_seconds":600}"#)
    #expect(both.status == 400)
    let tooLong = APIJSON.timestamp(api.clock.now.addingTimeInterval(80 * 3600))
    let long = try await api.send(
      .POST, "/api/v1/overrides",
      json: #"{"scope":"global","kind":"freeze","reason":"x","expires_at":"\#(tooLong)"}"#)
    #expect(long.status == 422)
  }

  @Test(
    "Given an Idempotency-Key, when the request is retried, then the first response returns and nothing changes"
  )
  func idempotentRetry() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    let key = [("Idempotency-Key", "3f1c2a7e-retry")]
    let first = try await api.send(.POST, "/api/v1/overrides", json: Self.block, headers: key)
    let second = try await api.send(.POST, "/api/v1/overrides", json: Self.block, headers: key)
    #expect(first.status == 201 && second.status == 201)
    #expect(second.body == first.body)
    #expect(second.header("Idempotent-Replayed") == "true")
    #expect(first.header("Idempotent-Replayed") == nil)
    #expect(((try await api.send(.GET, "/api/v1/overrides")).json["overrides"] as? [Any])?.count == 1)

    let other = #"{"scope":"global","kind":"freeze","reason":"another"}"#
    let reused = try await api.send(.POST, "/api/v1/overrides", json: other, headers: key)
    #expect(reused.status == 422)
    #expect(reused.text.contains("different request"))
    // Keys are per token: the operator's same key is a new request.
    let operatorCall = try await api.send(
      .POST, "/api/v1/overrides", token: APIHarness.operatorToken, json: other, headers: key)
    #expect(operatorCall.status == 201)
    let bad = try await api.send(
      .POST, "/api/v1/overrides", json: other, headers: [("Idempotency-Key", "has space")])
    #expect(bad.status == 400)
  }
}
