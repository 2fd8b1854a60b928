import Foundation

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
