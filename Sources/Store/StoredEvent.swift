import FailoverCore
import Foundation

/// An event as the log holds it: its place in the chain, its id and its hash.
public struct StoredEvent: Sendable, Hashable {
  /// Position in the log, from 1, without gaps; the cursor for pagination and SSE `Last-Event-ID`.
  public var seq: Int64
  /// A unique id for links (not covered by the hash; `seq` and `hash` are).
  public var id: String
  /// The event (its time at millisecond precision, as hashed).
  public var event: Event
  /// The chain hash of this event.
  public var hash: String

  public init(seq: Int64, id: String, event: Event, hash: String) {
    self.seq = seq
    self.id = id
    self.event = event
    self.hash = hash
  }
}

/// Which events to list, in which order, and where to continue.
public struct EventQuery: Sendable, Hashable {
  /// Oldest or newest first.
  public enum Order: String, Sendable, Hashable {
    case oldestFirst, newestFirst
  }

  /// Continue after this seq (in `order`): the `nextCursor` of the previous page.
  public var cursor: Int64?
  /// Only events at or after this instant.
  public var since: Date?
  /// Only events strictly before this instant.
  public var until: Date?
  /// Only these kinds (nil or empty: all).
  public var kinds: Set<EventKind>?
  /// Only this scope.
  public var scope: EventScope?
  /// Oldest or newest first.
  public var order: Order
  /// At most this many (clamped to 1...1000).
  public var limit: Int

  public init(
    cursor: Int64? = nil, since: Date? = nil, until: Date? = nil, kinds: Set<EventKind>? = nil,
    scope: EventScope? = nil, order: Order = .newestFirst, limit: Int = 100
  ) {
    self.cursor = cursor
    self.since = since
    self.until = until
    self.kinds = kinds
    self.scope = scope
    self.order = order
    self.limit = limit
  }
}

/// One page of events, and the cursor of the next page (nil when this is the last).
public struct EventPage: Sendable, Hashable {
  /// The events, in the query's order.
  public var events: [StoredEvent]
  /// Pass as `EventQuery.cursor` to get the next page; nil when there is none.
  public var nextCursor: Int64?
}
