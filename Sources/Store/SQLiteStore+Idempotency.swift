import FailoverCore
import Foundation
import GRDB

extension SQLiteStore {
  /// The live record of a key for an actor; nil when there is none or it is older than 24 hours at `now`.
  public func lookupIdempotent(key: String, actor: String, now: Date) async throws -> IdempotencyRecord? {
    try await read("look up an idempotency key") { db in
      try Self.liveRecord(key: key, actor: actor, now: now, db)
    }
  }

  /// Saves a response under its key, unless a live record already holds that key for that actor: then the
  /// earlier record stays and is returned (the first response wins; replay it). Returns nil when saved.
  /// An expired record under the same key is replaced.
  @discardableResult
  public func saveIdempotent(_ record: IdempotencyRecord) async throws -> IdempotencyRecord? {
    let headers = try StoreCoding.json(record.headers)
    return try await write("save an idempotency key") { db in
      if let existing = try Self.liveRecord(key: record.key, actor: record.actor, now: record.createdAt, db) {
        return existing
      }
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO idempotency_keys
            (key, actor, method, path, request_hash, status, headers, body, created_ms)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          record.key, record.actor, record.method, record.path, record.requestHash, record.status, headers,
          record.body, StoreCoding.millis(record.createdAt),
        ])
      return nil
    }
  }

  /// Deletes records older than 24 hours at `now`; returns how many were deleted. Call periodically.
  @discardableResult
  public func pruneIdempotency(now: Date) async throws -> Int {
    try await write("prune idempotency keys") { db in
      try db.execute(
        sql: "DELETE FROM idempotency_keys WHERE created_ms <= ?",
        arguments: [StoreCoding.millis(now.addingTimeInterval(-IdempotencyRecord.lifetime))])
      return db.changesCount
    }
  }

  private static func liveRecord(key: String, actor: String, now: Date, _ db: Database) throws
    -> IdempotencyRecord?
  {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM idempotency_keys WHERE key = ? AND actor = ? AND created_ms > ?",
        arguments: [key, actor, StoreCoding.millis(now.addingTimeInterval(-IdempotencyRecord.lifetime))])
    else { return nil }
    let headers = try StoreCoding.decode(
      [String: String].self, from: row["headers"], table: "idempotency_keys", key: key)
    return IdempotencyRecord(
      key: row["key"], actor: row["actor"], method: row["method"], path: row["path"],
      requestHash: row["request_hash"], status: row["status"], headers: headers, body: row["body"],
      createdAt: StoreCoding.date(millis: row["created_ms"]))
  }
}
