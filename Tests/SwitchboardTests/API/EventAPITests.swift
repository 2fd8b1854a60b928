import FailoverCore
import Foundation
import Switchboard
import Testing

/// The audit log through the API: pages, filters, and chain verification.
@Suite("API events")
struct EventAPITests {
  @Test(
    "Given five overrides, when events are read two at a time, then cursors walk every event once, in order")
  func pagination() async throws {
    let api = try APIHarness()
    try await api.warmUp()
    for index in 0..<5 {
      _ = try await api.send(
        .POST, "/api/v1/overrides", json: #"{"scope":"global","kind":"freeze","reason":"r\#(index)"}"#)
    }
    var seen: [Int] = []
    var cursor: String?
    for _ in 0..<10 {
      let page = try await api.send(
        .GET, "/api/v1/events?limit=2&order=oldest" + (cursor.map { "&cursor=\($0)" } ?? ""))
      seen += ((page.json["events"] as? [[String: Any]]) ?? []).compactMap { $0["seq"] as? Int }
      cursor = page.json["next_cursor"] as? String
      if cursor == nil { break }
    }
    #expect(seen == [1, 2, 3, 4, 5])
    let scoped = try await api.send(.GET, "/api/v1/events?scope=service:api.example.com")
    #expect((scoped.json["events"] as? [Any])?.isEmpty == true)
    let verified = try await api.send(.GET, "/api/v1/audit/verify")
    #expect(verified.json["intact"] as? Bool == true)
    #expect(verified.json["events_checked"] as? Int == 5)
  }

  @Test("Given bad query parameters, then 400 names each one")
  func badParameters() async throws {
    let api = try APIHarness()
    let bad = try await api.send(.GET, "/api/v1/events?since=yesterday&limit=0&kind=party&scope=x&cursor=-1")
    #expect(bad.status == 400)
    let pointers = ((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["pointer"] as? String }
    #expect(Set(pointers) == ["query:since", "query:limit", "query:kind", "query:scope", "query:cursor"])
  }
}
