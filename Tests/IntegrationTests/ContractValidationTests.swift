import Foundation
import Switchboard
import Testing

/// Input validation at the HTTP level against a real server: malformed JSON, unknown fields, wrong types,
/// out-of-range values, oversized bodies and the wrong media type each get their status (400, 413, 415, 422)
/// with a problem document that says precisely what is wrong, and none of them changes anything.
@Suite("API contract: input validation", .serialized)
struct ContractValidationTests {
  /// One malformed request and what the answer must be.
  struct Case: CustomStringConvertible {
    var name: String
    var target = "/api/v1/overrides"
    var contentType: String? = "application/json"
    var body: [UInt8]
    /// The acceptable statuses.
    var status: Set<Int>
    /// The JSON Pointer the problem's `errors` must name, if any.
    var pointer: String?
    /// Words the problem's `detail` must contain.
    var mentions: [String] = []

    var description: String { name }
  }

  static let failover = "/api/v1/services/\(ContractServer.service)/failover"

  static let cases: [Case] = [
    Case(
      name: "malformed JSON", body: Array(#"{"scope":"global","kind":"freeze","#.utf8), status: [400],
      mentions: ["JSON"]),
    Case(name: "a JSON array", body: Array("[]".utf8), status: [400], mentions: ["object"]),
    Case(name: "an empty body", body: [], status: [400], mentions: ["empty"]),
    Case(
      name: "an unknown field",
      body: Array(#"{"scope":"global","kind":"freeze","reason":"x","colour":"red"}"#.utf8), status: [400],
      pointer: "/colour", mentions: ["colour"]),
    Case(
      name: "a wrong type", body: Array(#"{"scope":"global","kind":"freeze","reason":17}"#.utf8),
      status: [400],
      pointer: "/reason", mentions: ["reason", "string"]),
    Case(
      name: "null for an optional field",
      body: Array(#"{"scope":"global","kind":"freeze","reason":"x","duration_seconds":null}"#.utf8),
      status: [400],
      pointer: "/duration_seconds", mentions: ["null"]),
    Case(
      name: "null for a required field",
      body: Array(#"{"scope":"global","kind":"freeze","reason":null}"#.utf8),
      status: [400], pointer: "/reason", mentions: ["null"]),
    Case(
      name: "a missing required field", body: Array(#"{"scope":"global","kind":"freeze"}"#.utf8),
      status: [400],
      pointer: "/reason", mentions: ["reason"]),
    // Values the schema rules out (enums, ranges) are malformed: 400. Refused well-formed values are 422.
    Case(
      name: "an unknown kind", body: Array(#"{"scope":"global","kind":"pause","reason":"x"}"#.utf8),
      status: [400], pointer: "/kind", mentions: ["pause"]),
    Case(
      name: "a duration below the minimum",
      body: Array(#"{"scope":"global","kind":"freeze","reason":"x","duration_seconds":10}"#.utf8),
      status: [400],
      pointer: "/duration_seconds", mentions: ["duration_seconds"]),
    Case(
      name: "a duration above the maximum",
      body: Array(#"{"scope":"global","kind":"freeze","reason":"x","duration_seconds":9999999}"#.utf8),
      status: [400], pointer: "/duration_seconds", mentions: ["duration_seconds"]),
    // 600 × (e + combining acute): 600 characters to Swift, 1200 code points to JSON Schema's maxLength (1000).
    Case(
      name: "a reason over 1000 code points",
      body: Array(
        (#"{"scope":"global","kind":"freeze","reason":""# + String(repeating: "e\u{301}", count: 600) + #""}"#)
          .utf8), status: [400], pointer: "/reason", mentions: ["1000"]),
    Case(
      name: "a body over 16 KiB",
      body: Array(
        (#"{"scope":"global","kind":"freeze","reason":""# + String(repeating: "x", count: 17 * 1024) + #""}"#)
          .utf8), status: [413], mentions: ["16384"]),
    Case(
      name: "text/plain", contentType: "text/plain",
      body: Array(#"{"scope":"global","kind":"freeze","reason":"x"}"#.utf8), status: [415], mentions: ["JSON"]
    ),
    Case(
      name: "no Content-Type", contentType: nil,
      body: Array(#"{"scope":"global","kind":"freeze","reason":"x"}"#.utf8), status: [415], mentions: ["JSON"]
    ),
    Case(
      name: "failover: an unknown field", target: failover,
      body: Array(#"{"target_region":"us-west-2","reason":"x","force":true}"#.utf8), status: [400],
      pointer: "/force", mentions: ["force"]),
    Case(
      name: "failover: a region that is not configured", target: failover,
      body: Array(#"{"target_region":"eu-north-9","reason":"x"}"#.utf8), status: [422],
      mentions: ["eu-north-9"]),
    Case(
      name: "failover: an unknown safety rule", target: failover,
      body: Array(#"{"target_region":"us-west-2","reason":"x","override_rules":["everything"]}"#.utf8),
      status: [400], mentions: ["everything"]),
  ]

  /// What the server holds that a request could change: overrides, token-caused events, workflows.
  static func state(_ server: ContractServer) async throws -> [String] {
    var counts: [String] = []
    let overrides = try await server.call(
      "GET", "/api/v1/overrides?include=all", token: server.token(.viewer))
    try #require(overrides.status == 200, "\(overrides)")
    counts.append("overrides: \((overrides.object?["overrides"] as? [Any])?.count ?? -1)")
    let events = try await server.call("GET", "/api/v1/events?limit=1000", token: server.token(.viewer))
    try #require(events.status == 200, "\(events)")
    let byTokens = (events.object?["events"] as? [[String: Any]] ?? []).filter {
      ($0["actor"] as? String ?? "") != "switchboard"
    }
    counts.append("events by tokens: \(byTokens.count)")
    let workflows = try await server.call(
      "GET", "/api/v1/services/\(ContractServer.service)/workflows", token: server.token(.viewer))
    try #require(workflows.status == 200, "\(workflows)")
    counts.append("workflows: \((workflows.object?["workflows"] as? [Any])?.count ?? -1)")
    return counts
  }

  @Test(
    "Given malformed requests of every kind, then each gets its status and a precise problem, and nothing changes",
    arguments: [false, true])
  func malformedRequestsChangeNothing(withIdempotencyKey: Bool) async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let before = try await Self.state(server)

    for malformed in Self.cases {
      var headers: [(String, String)] = []
      if let contentType = malformed.contentType { headers.append(("Content-Type", contentType)) }
      if withIdempotencyKey { headers.append(("Idempotency-Key", UUID().uuidString)) }
      let answer = try await server.call(
        "POST", malformed.target, token: server.token(.operator), headers: headers, body: malformed.body)

      #expect(malformed.status.contains(answer.status), "\(malformed): \(answer)")
      #expect(answer.mediaType == "application/problem+json", "\(malformed): \(answer)")
      let detail = answer.object?["detail"] as? String ?? ""
      for word in malformed.mentions {
        #expect(detail.contains(word), "\(malformed): the detail should mention \(word): \(answer)")
      }
      if let pointer = malformed.pointer {
        let pointers = (answer.object?["errors"] as? [[String: Any]] ?? []).compactMap {
          $0["pointer"] as? String
        }
        #expect(pointers.contains(pointer), "\(malformed): errors should point at \(pointer): \(answer)")
      }
    }

    #expect(try await Self.state(server) == before)
  }

  @Test("Given malformed query parameters, then 400 naming the parameter")
  func malformedQueryParameters() async throws {
    let server = try await ContractServer()
    defer { server.stop() }
    let viewer = server.token(.viewer)
    for target in [
      "/api/v1/events?limit=0", "/api/v1/events?limit=abc", "/api/v1/events?limit=1001",
      "/api/v1/events?since=yesterday", "/api/v1/events?cursor=-1", "/api/v1/events?order=sideways",
      "/api/v1/overrides?include=some",
    ] {
      let answer = try await server.call("GET", target, token: viewer)
      let name = target.split(separator: "?")[1].split(separator: "=")[0]
      #expect(answer.status == 400, "\(target): \(answer)")
      #expect(answer.mediaType == "application/problem+json", "\(target): \(answer)")
      #expect(answer.text.contains(String(name)), "\(target): the problem should name \(name): \(answer)")
    }
  }
}
