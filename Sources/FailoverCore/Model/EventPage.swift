import Foundation

/// One page of events, and the cursor of the next page (nil when this is the last).
public struct EventPage: Sendable, Hashable {
  /// The events, in the query's order.
  public var events: [StoredEvent]
  /// Pass as `EventQuery.cursor` to get the next page; nil when there is none.
  public var nextCursor: Int64?

  /// A page holding `events`, followed by the page at `nextCursor` (nil: none).
  public init(events: [StoredEvent], nextCursor: Int64?) {
    self.events = events
    self.nextCursor = nextCursor
  }
}
