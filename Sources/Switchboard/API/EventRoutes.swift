import FailoverCore
import Foundation
import HTTPServer

/// The audit log: a paginated query (cursor, time range, kind, scope) and hash-chain verification.
public enum EventRoutes {
  struct EventList: Encodable {
    var events: [EventRepresentation]
    @Nullable var nextCursor: String?
  }

  struct Verification: Encodable {
    var intact: Bool
    var eventsChecked: Int
    @Nullable var headHash: String?
    @Nullable var brokenAtSeq: Int64?
    var detail: String
  }

  /// Registers the routes.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/events", role: .viewer, context: context) { request, _ in
      let query = try eventQuery(request)
      let page: EventPage
      do {
        page = try await context.store.events(query)
      } catch {
        throw APIError.unavailable("Events cannot be read from the store: \(error)")
      }
      return APIJSON.response(
        EventList(
          events: page.events.map(EventRepresentation.init), nextCursor: page.nextCursor.map(String.init)))
    }
    router.api(.GET, "/api/v1/audit/verify", role: .viewer, context: context) { request, _ in
      let verdict: ChainVerification
      do {
        verdict = try await context.store.verifyChain()
      } catch {
        throw APIError.unavailable("The audit log cannot be read from the store: \(error)")
      }
      switch verdict {
      case .intact(let count, let head):
        return APIJSON.response(
          Verification(
            intact: true, eventsChecked: count, headHash: head, brokenAtSeq: nil, detail: verdict.description)
        )
      case .broken(let link):
        return APIJSON.response(
          Verification(
            intact: false, eventsChecked: Int(max(0, link.seq - 1)), headHash: nil, brokenAtSeq: link.seq,
            detail: link.description))
      }
    }
  }

  /// The store query from `cursor`, `since`, `until`, `kind`, `scope`, `order` and `limit`.
  static func eventQuery(_ request: Request) throws(APIError) -> EventQuery {
    var query = QueryParameters(request)
    var result = EventQuery()
    result.cursor = query.cursor()
    result.limit = query.integer("limit", in: 1...1000) ?? 100
    result.order = query.choice("order", ["newest", "oldest"]) == "oldest" ? .oldestFirst : .newestFirst
    for name in ["since", "until"] {
      guard let text = query.string(name, maxLength: 64) else { continue }
      guard let date = APIJSON.parseTimestamp(text) else {
        query.reject(
          name, "\(name) must be an RFC 3339 timestamp such as 2026-11-22T10:00:00Z, not \"\(text)\".")
        continue
      }
      if name == "since" { result.since = date } else { result.until = date }
    }
    if let kinds = query.string("kind", maxLength: 1000) {
      let parsed = NamedValues.parse(NamedValues.split(kinds), as: EventKind.self, noun: "event kind")
      for problem in parsed.problems { query.reject("kind", problem) }
      result.kinds = parsed.values.isEmpty ? nil : parsed.values
    }
    if let scope = query.string("scope", maxLength: 200) {
      if let parsed = OverrideScope(token: scope) {
        result.scope = EventScope(parsed)
      } else {
        query.reject("scope", "scope must be global, region:ID or service:ID, not \"\(scope)\".")
      }
    }
    try query.finish()
    return result
  }
}
