import Foundation

/// REST responses remembered under their `Idempotency-Key`, honoured for `IdempotencyRecord.lifetime`.
public protocol IdempotencyStore: Sendable {
  /// The live record of a key for an actor; nil when there is none or it has expired at `now`.
  func lookupIdempotent(key: String, actor: String, now: Date) async throws -> IdempotencyRecord?
  /// Saves a response under its key, unless a live record already holds that key for that actor: then the
  /// earlier record stays and is returned (the first response wins; replay it). Returns nil when saved. An
  /// expired record under the same key is replaced.
  @discardableResult
  func saveIdempotent(_ record: IdempotencyRecord) async throws -> IdempotencyRecord?
  /// Deletes records expired at `now`; returns how many were deleted.
  @discardableResult
  func pruneIdempotency(now: Date) async throws -> Int
}
