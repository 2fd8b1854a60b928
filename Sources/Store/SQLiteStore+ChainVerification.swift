import FailoverCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Walks the whole audit log in order and checks every link: seq without gaps, `prev_hash` equal to the
  /// previous hash, `hash` equal to the hash of `prev_hash` and the stored JSON, indexed columns equal to the
  /// hashed JSON, and the recorded head equal to the last event (a truncated tail is caught there).
  ///
  /// After retention pruned old events, the walk starts at the checkpoint (`chainCheckpoint()`): the first
  /// retained event must follow the last pruned one and link to its hash.
  ///
  /// Reports the first broken link, or the count (of retained events) and head hash when everything holds.
  public func verifyChain() async throws -> ChainVerification {
    try await read("verify the audit log") { db in try Self.verifyChain(db) }
  }

  static func verifyChain(_ db: Database) throws -> ChainVerification {
    let checkpoint = try chainCheckpoint(db)
    var previous: (seq: Int64, hash: String) = checkpoint.map { ($0.seq, $0.hash) } ?? (0, EventChain.genesis)
    var count = 0
    let rows = try Row.fetchCursor(
      db, sql: "SELECT seq, at_ms, kind, scope, actor, json, prev_hash, hash FROM events ORDER BY seq")
    while let row = try rows.next() {
      let seq: Int64 = row["seq"]
      if let link = brokenLink(row, seq: seq, previous: previous) { return .broken(link) }
      previous = (seq, row["hash"])
      count += 1
    }
    if let link = EventChain.headMismatch(recorded: try chainHead(db), last: previous) {
      return .broken(link)
    }
    return .intact(count: count, head: previous.hash)
  }

  /// The first problem of one event's link to the one before it (or to the checkpoint), nil when it holds.
  static func brokenLink(_ row: Row, seq: Int64, previous: (seq: Int64, hash: String)) -> ChainBreak? {
    if seq != previous.seq + 1 {
      return ChainBreak(
        seq: seq, expected: "seq \(previous.seq + 1)", found: "seq \(seq)",
        problem: "events are missing before it (the sequence jumps from \(previous.seq) to \(seq))")
    }
    let prevHash: String = row["prev_hash"]
    if prevHash != previous.hash {
      return ChainBreak(
        seq: seq, expected: previous.hash, found: prevHash,
        problem: "its prev_hash is not the hash of the event before it")
    }
    let json: String = row["json"]
    let hash: String = row["hash"]
    let computed = EventChain.hash(previous: prevHash, canonicalJSON: json)
    if computed != hash {
      return ChainBreak(
        seq: seq, expected: computed, found: hash,
        problem: "its content does not match its hash (the JSON or the hash was changed)")
    }
    guard let content = try? CanonicalEvent.decode(json, seq: seq) else {
      return ChainBreak(
        seq: seq, expected: "an event's canonical JSON", found: json, problem: "its JSON is not an event")
    }
    let millis: Int64 = row["at_ms"]
    let columns: [(String, String, String)] = [
      ("kind", row["kind"], content.kind),
      ("scope", row["scope"], content.scope),
      ("actor", row["actor"], content.actor),
      ("at", Event.timestamp(StoreCoding.date(millis: millis)), content.at),
    ]
    for (name, column, hashed) in columns where column != hashed {
      return ChainBreak(
        seq: seq, expected: hashed, found: column,
        problem: "its \(name) column differs from its hashed content")
    }
    return nil
  }
}
