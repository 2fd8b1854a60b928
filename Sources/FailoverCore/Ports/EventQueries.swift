import Foundation

/// The audit log's read side for the API and the event stream: filtered pages, resume after a seq, the head.
public protocol EventQueries: Sendable {
  /// One page of events matching a query (filters combine with AND; the limit is clamped to 1...1000).
  func events(_ query: EventQuery) async throws -> EventPage
  /// Events appended after `seq`, oldest first, at most `limit`: SSE resume from `Last-Event-ID`.
  func events(after seq: Int64, limit: Int) async throws -> [StoredEvent]
  /// The seq of the last event (0 when the log is empty).
  func lastEventSeq() async throws -> Int64
}

extension EventQueries {
  /// Events appended after `seq`, oldest first, at most `limit`: one page of `events(_:)` from that cursor.
  public func events(after seq: Int64, limit: Int = 1000) async throws -> [StoredEvent] {
    try await events(EventQuery(cursor: seq, order: .oldestFirst, limit: limit)).events
  }
}

extension EventLog where Self: EventQueries {
  /// Events at or after an instant, oldest first, at most `limit`: one page of `events(_:)`.
  public func events(since: Date, limit: Int) async throws -> [Event] {
    guard limit > 0 else { return [] }
    return try await events(EventQuery(since: since, order: .oldestFirst, limit: limit)).events.map(\.event)
  }
}
