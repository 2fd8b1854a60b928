import FailoverCore
import Foundation
import Store

/// One audit event as kept under `events/<seq, 20 digits>`: its id, time (ms), canonical JSON (what is hashed),
/// the previous hash and its own.
struct EtcdEventRecord: Codable, Sendable {
  var id: String
  var at: Int64
  var json: String
  var prev: String
  var hash: String
}

/// The fields of `Event.canonicalJSON()`, as read back from the log.
struct EtcdCanonicalEvent: Decodable {
  var kind: String
  var scope: String
  var actor: String
  var at: String
  var message: String
  var details: [String: JSONValue]

  /// The event, with its time taken from the record's millisecond field (checked against `at` by `verifyChain`).
  func event(at date: Date, key: String) throws -> Event {
    guard let kind = EventKind(rawValue: kind) else {
      throw StoreError.corruptRow(table: "etcd", key: key, reason: "unknown kind \"\(self.kind)\"")
    }
    guard let scope = OverrideScope(token: scope).map(EventScope.init) else {
      throw StoreError.corruptRow(table: "etcd", key: key, reason: "malformed scope \"\(self.scope)\"")
    }
    return Event(kind: kind, scope: scope, actor: actor, at: date, message: message, details: details)
  }
}

extension EtcdStore: EventLog {
  /// Appends events in order, chained to the current head (one transaction per 100 events).
  public func append(_ events: [Event]) async throws {
    _ = try await appendReturningStored(events)
  }

  /// Appends events like `append(_:)` and returns them as stored (seq, id, hash), e.g. to publish over SSE.
  @discardableResult
  public func appendReturningStored(_ events: [Event]) async throws -> [StoredEvent] {
    var stored: [StoredEvent] = []
    for start in stride(from: 0, to: events.count, by: 100) {
      let chunk = Array(events[start..<min(start + 100, events.count)])
      stored += try await write("append events") { .write(EtcdWritePlan(events: chunk), ()) }.1
    }
    return stored
  }

  /// The seq of the last event (0 when the log is empty).
  public func lastEventSeq() async throws -> Int64 {
    try await read("read the event log head") {
      let last = try await client.rangeSorted(
        prefix("events"), limit: 1, sortTarget: .key, descending: true, keysOnly: true)
      return last.kvs.first.map { Self.eventSeq($0.key) } ?? 0
    }
  }

  /// One page of events matching a query (filters combine with AND), read in key order from the cursor and
  /// filtered here: a filtered page may read far more events than it returns (bounded by retention).
  public func events(_ query: EventQuery) async throws -> EventPage {
    let limit = min(max(query.limit, 1), 1000)
    let descending = query.order == .newestFirst
    let filtered =
      query.since != nil || query.until != nil || !(query.kinds ?? []).isEmpty || query.scope != nil
    let since = query.since.map(Self.millis)
    let until = query.until.map(Self.millis)
    let kinds = Set((query.kinds ?? []).map(\.rawValue))
    let scope = query.scope?.description
    return try await read("list events") {
      var found: [StoredEvent] = []
      try await client.scan(
        prefix("events"), from: descending ? nil : query.cursor.map { eventKey($0 + 1) },
        to: descending ? query.cursor.map { eventKey($0) } : nil, descending: descending,
        page: filtered ? 500 : limit + 1
      ) { page in
        for kv in page {
          let record = try Self.decode(EtcdEventRecord.self, kv)
          if let since, record.at < since { continue }
          if let until, record.at >= until { continue }
          let content = try Self.canonical(record, key: kv.key)
          if !kinds.isEmpty, !kinds.contains(content.kind) { continue }
          if let scope, content.scope != scope { continue }
          let event = try content.event(at: Self.date(millis: record.at), key: kv.key)
          found.append(
            StoredEvent(seq: Self.eventSeq(kv.key), id: record.id, event: event, hash: record.hash))
          if found.count > limit { return false }
        }
        return true
      }
      guard found.count > limit else { return EventPage(events: found, nextCursor: nil) }
      found.removeLast()
      return EventPage(events: found, nextCursor: found.last?.seq)
    }
  }

  /// The key of the event at `seq`.
  func eventKey(_ seq: Int64) -> String { key("events", Self.padded(seq)) }

  /// The seq an event key ends with.
  static func eventSeq(_ key: String) -> Int64 {
    Int64(key.split(separator: "/").last ?? "") ?? 0
  }

  /// A record's canonical JSON, decoded.
  static func canonical(_ record: EtcdEventRecord, key: String) throws -> EtcdCanonicalEvent {
    do {
      return try JSONDecoder().decode(EtcdCanonicalEvent.self, from: Data(record.json.utf8))
    } catch {
      throw StoreError.corruptRow(table: "etcd", key: key, reason: "\(error)")
    }
  }
}

extension EtcdStore: EventQueries {}
