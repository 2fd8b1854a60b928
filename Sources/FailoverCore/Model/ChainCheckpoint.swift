import Foundation

/// Where the audit log starts after retention pruned its oldest events: the last pruned event's seq and hash,
/// which the first retained event must follow and link to. Written only after the pruned events verified.
public struct ChainCheckpoint: Sendable, Hashable, CustomStringConvertible {
  /// The seq of the last pruned event (events 1...seq are gone).
  public var seq: Int64
  /// Its hash: the `prev_hash` of event seq + 1.
  public var hash: String
  /// When that event happened.
  public var at: Date
  /// When the pruning that wrote this checkpoint ran.
  public var prunedAt: Date

  public init(seq: Int64, hash: String, at: Date, prunedAt: Date) {
    self.seq = seq
    self.hash = hash
    self.at = at
    self.prunedAt = prunedAt
  }

  public var description: String {
    "events 1 to \(seq) (up to \(Event.timestamp(at))) were pruned by retention at "
      + "\(Event.timestamp(prunedAt)); the log is verified from the checkpoint (event \(seq), hash \(hash))"
  }
}
