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
