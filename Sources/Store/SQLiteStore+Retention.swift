import FailoverCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Deletes the audit events older than `cutoff` (the oldest run of them, in seq order; never the newest event,
  /// which the next append links to), after checking that they still link from the previous checkpoint, and
  /// records the last deleted event's seq and hash as the new checkpoint, in one transaction. Returns how many
  /// events were deleted.
  ///
  /// - Throws: `StoreError.auditChainBroken` (and deletes nothing) when the events to delete do not verify:
  ///   pruning them would erase the evidence.
  @discardableResult
  public func pruneEvents(olderThan cutoff: Date, now: Date) async throws -> Int {
    try await write("prune audit events") { db in
      let head = try Self.chainHead(db)
      let firstKept = try Int64.fetchOne(
        db, sql: "SELECT MIN(seq) FROM events WHERE at_ms >= ?", arguments: [StoreCoding.millis(cutoff)])
      let last = min(firstKept.map { $0 - 1 } ?? head.seq, head.seq - 1)
      let checkpoint = try Self.chainCheckpoint(db)
      var previous: (seq: Int64, hash: String) =
        checkpoint.map { ($0.seq, $0.hash) } ?? (0, EventChain.genesis)
      guard last > previous.seq else { return 0 }
      var lastMillis: Int64 = 0
      let rows = try Row.fetchCursor(
        db,
        sql:
          "SELECT seq, at_ms, kind, scope, actor, json, prev_hash, hash FROM events WHERE seq <= ? ORDER BY seq",
        arguments: [last])
      while let row = try rows.next() {
        let seq: Int64 = row["seq"]
        if let link = Self.brokenLink(row, seq: seq, previous: previous) {
          throw StoreError.auditChainBroken(link)
        }
        previous = (seq, row["hash"])
        lastMillis = row["at_ms"]
      }
      guard previous.seq == last else {
        throw StoreError.auditChainBroken(
          ChainBreak(
            seq: previous.seq + 1, expected: "events up to \(last)", found: "events up to \(previous.seq)",
            problem: "events are missing before the oldest one to keep"))
      }
      try db.execute(sql: "DELETE FROM events WHERE seq <= ?", arguments: [last])
      let deleted = db.changesCount
      try db.execute(
        sql:
          "INSERT OR REPLACE INTO event_chain_checkpoint (id, seq, hash, at_ms, pruned_ms) VALUES (1, ?, ?, ?, ?)",
        arguments: [previous.seq, previous.hash, lastMillis, StoreCoding.millis(now)])
      return deleted
    }
  }

  /// Where verification of the audit log starts: nil while no event has been pruned.
  public func chainCheckpoint() async throws -> ChainCheckpoint? {
    try await read("read the audit checkpoint") { db in try Self.chainCheckpoint(db) }
  }

  /// Deletes workflows that ended before `cutoff`, with their steps, and the transitions recorded before it
  /// except each service's latest (the status documents' last failover). Running workflows are never deleted.
  /// Returns how many workflows were deleted.
  @discardableResult
  public func pruneFinishedWorkflows(olderThan cutoff: Date) async throws -> Int {
    let millis = StoreCoding.millis(cutoff)
    return try await write("prune finished workflows") { db in
      let ended = "SELECT id FROM workflows WHERE state != 'running' AND finished_ms < ?"
      try db.execute(sql: "DELETE FROM workflow_steps WHERE workflow_id IN (\(ended))", arguments: [millis])
      try db.execute(sql: "DELETE FROM workflows WHERE id IN (\(ended))", arguments: [millis])
      let deleted = db.changesCount
      try db.execute(
        sql: """
          DELETE FROM transitions WHERE at_ms < ?
            AND seq NOT IN (SELECT MAX(seq) FROM transitions GROUP BY service)
          """,
        arguments: [millis])
      return deleted
    }
  }

  /// Deletes overrides that expired before `cutoff` (cleared ones included: an override never outlives its
  /// expiry). Returns how many were deleted.
  @discardableResult
  public func pruneExpiredOverrides(olderThan cutoff: Date) async throws -> Int {
    try await write("prune expired overrides") { db in
      try db.execute(
        sql: "DELETE FROM overrides WHERE expires_ms < ?", arguments: [StoreCoding.millis(cutoff)])
      return db.changesCount
    }
  }

  /// Copies the write-ahead log into the file and truncates it to zero bytes (after pruning, so the WAL does
  /// not keep the size the deletions gave it). Returns false when a reader kept it from finishing; the next
  /// call catches up.
  @discardableResult
  public func truncateWriteAheadLog() async throws -> Bool {
    do {
      return try await pool.writeWithoutTransaction { db in
        let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        let busy: Int = row?[0] ?? 1
        return busy == 0
      }
    } catch {
      throw StoreError.database(operation: "truncate the write-ahead log", reason: "\(error)")
    }
  }

  // MARK: Inside a transaction

  static func chainCheckpoint(_ db: Database) throws -> ChainCheckpoint? {
    try Row.fetchOne(db, sql: "SELECT seq, hash, at_ms, pruned_ms FROM event_chain_checkpoint WHERE id = 1")
      .map {
        ChainCheckpoint(
          seq: $0["seq"], hash: $0["hash"], at: StoreCoding.date(millis: $0["at_ms"]),
          prunedAt: StoreCoding.date(millis: $0["pruned_ms"]))
      }
  }
}
