import Foundation

/// Retention: removes what a store would otherwise keep forever, keeping the audit chain verifiable (see
/// `ChainCheckpoint`). Each call is one transaction.
public protocol StorePruning: Sendable {
  /// Deletes the audit events older than `cutoff` (never the newest), after checking they still link, and
  /// records the last deleted event as the chain's checkpoint. Returns how many were deleted; throws (and deletes
  /// nothing) when the events to delete do not verify.
  func pruneEvents(olderThan cutoff: Date, now: Date) async throws -> Int
  /// Where the audit log starts after pruning; nil when nothing was ever pruned.
  func chainCheckpoint() async throws -> ChainCheckpoint?
  /// Deletes workflows that ended before `cutoff`, with their steps and transitions. Returns how many.
  func pruneFinishedWorkflows(olderThan cutoff: Date) async throws -> Int
  /// Deletes overrides that expired or were cleared before `cutoff`. Returns how many.
  func pruneExpiredOverrides(olderThan cutoff: Date) async throws -> Int
  /// Gives back the space pruning freed where the backend keeps a log of writes (SQLite's WAL); false when a
  /// reader kept it from finishing.
  func truncateWriteAheadLog() async throws -> Bool
}
