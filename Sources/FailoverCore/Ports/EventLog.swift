import Foundation

/// The append-only audit log (the store hash-chains `Event.canonicalJSON()`): the write side, and the
/// time-window read the decider needs.
public protocol EventLog: Sendable {
  /// Appends events in order.
  func append(_ events: [Event]) async throws
  /// Appends events like `append(_:)` and returns them as stored (seq, id, hash), e.g. to publish over SSE.
  @discardableResult
  func appendReturningStored(_ events: [Event]) async throws -> [StoredEvent]
  /// Events at or after an instant, oldest first, at most `limit`.
  func events(since: Date, limit: Int) async throws -> [Event]
}
