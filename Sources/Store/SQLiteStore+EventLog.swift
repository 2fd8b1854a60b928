import FailoverCore
import Foundation
import GRDB

extension SQLiteStore: EventLog {
  /// Appends events in order, chained to the current head, in one transaction.
  public func append(_ events: [Event]) async throws {
    _ = try await appendReturningStored(events)
  }

  /// Appends events like `append(_:)` and returns them as stored (seq, id, hash), e.g. to publish over SSE.
  @discardableResult
  public func appendReturningStored(_ events: [Event]) async throws -> [StoredEvent] {
    try await write("append events") { db in try Self.appendEvents(events, in: db) }
  }

  /// The seq of the last event (0 when the log is empty).
  public func lastEventSeq() async throws -> Int64 {
    try await read("read the event log head") { db in try Self.lastEvent(db).seq }
  }

  /// One page of events matching a query (filters combine with AND).
  public func events(_ query: EventQuery) async throws -> EventPage {
    try await read("list events") { db in
      var conditions: [String] = []
      var arguments: StatementArguments = []
      let descending = query.order == .newestFirst
      if let cursor = query.cursor {
        conditions.append(descending ? "seq < ?" : "seq > ?")
        arguments += [cursor]
      }
      if let since = query.since {
        conditions.append("at_ms >= ?")
        arguments += [StoreCoding.millis(since)]
      }
      if let until = query.until {
        conditions.append("at_ms < ?")
        arguments += [StoreCoding.millis(until)]
      }
      if let kinds = query.kinds, !kinds.isEmpty {
        conditions.append("kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))")
        arguments += StatementArguments(kinds.map(\.rawValue).sorted())
      }
      if let scope = query.scope {
        conditions.append("scope = ?")
        arguments += [scope.description]
      }
      let limit = min(max(query.limit, 1), 1000)
      var sql = "SELECT seq, id, at_ms, json, hash FROM events"
      if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
      sql += " ORDER BY seq \(descending ? "DESC" : "ASC") LIMIT \(limit + 1)"
      let (stored, next) = try Self.keysetPage(
        db, sql: sql, arguments: arguments, limit: limit, row: Self.storedEvent, seq: \.seq)
      return EventPage(events: stored, nextCursor: next)
    }
  }

  // MARK: Inside a transaction

  /// Appends events to the chain inside the caller's write transaction.
  static func appendEvents(_ events: [Event], in db: Database) throws -> [StoredEvent] {
    guard !events.isEmpty else { return [] }
    // Chain to whichever is further: after a truncation the recorded head keeps the gap visible to
    // `verifyChain`; should the head row be lost, the last event still lets the log go on.
    let recorded = try chainHead(db)
    let last = try lastEvent(db)
    var head = recorded.seq >= last.seq ? recorded : last
    var stored: [StoredEvent] = []
    for event in events {
      let json = String(decoding: event.canonicalJSON(), as: UTF8.self)
      let hash = EventChain.hash(previous: head.hash, canonicalJSON: json)
      let seq = head.seq + 1
      let id = UUID().uuidString.lowercased()
      let millis = StoreCoding.millis(event.at)
      try db.execute(
        sql: """
          INSERT INTO events (seq, id, at_ms, kind, scope, actor, json, prev_hash, hash)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          seq, id, millis, event.kind.rawValue, event.scope.description, event.actor, json, head.hash, hash,
        ])
      var asHashed = event
      asHashed.at = StoreCoding.date(millis: millis)
      stored.append(StoredEvent(seq: seq, id: id, event: asHashed, hash: hash))
      head = (seq, hash)
    }
    try db.execute(
      sql: "INSERT OR REPLACE INTO event_chain_head (id, seq, hash) VALUES (1, ?, ?)",
      arguments: [head.seq, head.hash])
    return stored
  }

  /// The last event's seq and hash (0 and the genesis hash when the log is empty): what appends chain to.
  static func lastEvent(_ db: Database) throws -> (seq: Int64, hash: String) {
    if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1") {
      return (row["seq"], row["hash"])
    }
    return (0, EventChain.genesis)
  }

  /// The head recorded by the last append (0 and the genesis hash before the first): what `verifyChain`
  /// expects the log to end with.
  static func chainHead(_ db: Database) throws -> (seq: Int64, hash: String) {
    if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM event_chain_head WHERE id = 1") {
      return (row["seq"], row["hash"])
    }
    return (0, EventChain.genesis)
  }

  /// Decodes a row selected as `seq, id, at_ms, json, hash`.
  static func storedEvent(_ row: Row) throws -> StoredEvent {
    let seq: Int64 = row["seq"]
    let content = try CanonicalEvent.decode(row["json"], seq: seq)
    let event = try content.event(at: StoreCoding.date(millis: row["at_ms"]), seq: seq)
    return StoredEvent(seq: seq, id: row["id"], event: event, hash: row["hash"])
  }
}

/// The fields of `Event.canonicalJSON()`, as read back from the log.
struct CanonicalEvent: Decodable {
  var kind: String
  var scope: String
  var actor: String
  var at: String
  var message: String
  var details: [String: JSONValue]

  static func decode(_ json: String, seq: Int64) throws -> CanonicalEvent {
    try StoreCoding.decode(CanonicalEvent.self, from: json, table: "events", key: "seq \(seq)")
  }

  /// The event, with its time taken from the indexed column (checked against `at` by `verifyChain`).
  func event(at date: Date, seq: Int64) throws -> Event {
    guard let kind = EventKind(rawValue: kind) else {
      throw StoreError.corruptRow(table: "events", key: "seq \(seq)", reason: "unknown kind \"\(self.kind)\"")
    }
    guard let scope = OverrideScope(token: scope).map(EventScope.init) else {
      throw StoreError.corruptRow(
        table: "events", key: "seq \(seq)", reason: "malformed scope \"\(self.scope)\"")
    }
    return Event(kind: kind, scope: scope, actor: actor, at: date, message: message, details: details)
  }
}
