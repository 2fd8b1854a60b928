import FailoverCore
import Foundation
import Store

/// The audit checkpoint as kept under `chain/checkpoint` (times in ms).
struct EtcdCheckpointRecord: Codable, Sendable {
  var seq: Int64
  var hash: String
  var at: Int64
  var pruned: Int64
}

extension EtcdStore: AuditChain {
  /// Walks the whole audit log in key (seq) order and checks every link as the SQLite store does: seq without gaps,
  /// `prev` equal to the previous hash, `hash` equal to the hash of `prev` and the stored JSON, the time field
  /// equal to the hashed time, and the recorded head equal to the last event. Starts at the checkpoint after
  /// retention pruned old events.
  public func verifyChain() async throws -> ChainVerification {
    try await read("verify the audit log") {
      let checkpoint = try await readCheckpoint()
      var previous: (seq: Int64, hash: String) =
        checkpoint.map { ($0.seq, $0.hash) } ?? (0, EventChain.genesis)
      var count = 0
      var broken: ChainBreak?
      try await client.scan(prefix("events")) { page in
        for kv in page {
          let seq = Self.eventSeq(kv.key)
          if let link = Self.brokenLink(kv, seq: seq, previous: previous) {
            broken = link
            return false
          }
          previous = (seq, try Self.decode(EtcdEventRecord.self, kv).hash)
          count += 1
        }
        return true
      }
      if let broken { return .broken(broken) }
      let recorded = try await client.getKey(key("chain", "head")).map {
        try Self.decode(EtcdChainHead.self, $0)
      }
      let head = recorded ?? EtcdChainHead(seq: 0, hash: EventChain.genesis)
      if let link = EventChain.headMismatch(recorded: (head.seq, head.hash), last: previous) {
        return .broken(link)
      }
      return .intact(count: count, head: previous.hash)
    }
  }

  /// Where the audit log starts after pruning; nil when nothing was ever pruned.
  public func chainCheckpoint() async throws -> ChainCheckpoint? {
    try await read("read the audit checkpoint") { try await readCheckpoint() }
  }

  func readCheckpoint() async throws -> ChainCheckpoint? {
    guard let kv = try await client.getKey(key("chain", "checkpoint")) else { return nil }
    let record = try Self.decode(EtcdCheckpointRecord.self, kv)
    return ChainCheckpoint(
      seq: record.seq, hash: record.hash, at: Self.date(millis: record.at),
      prunedAt: Self.date(millis: record.pruned))
  }

  /// The first problem of one event's link to the one before it (or to the checkpoint), nil when it holds.
  static func brokenLink(_ kv: EtcdKeyValue, seq: Int64, previous: (seq: Int64, hash: String)) -> ChainBreak?
  {
    if seq != previous.seq + 1 {
      return ChainBreak(
        seq: seq, expected: "seq \(previous.seq + 1)", found: "seq \(seq)",
        problem: "events are missing before it (the sequence jumps from \(previous.seq) to \(seq))")
    }
    guard let record = try? decode(EtcdEventRecord.self, kv) else {
      return ChainBreak(
        seq: seq, expected: "an event record", found: String(decoding: kv.value.prefix(200), as: UTF8.self),
        problem: "its stored value is not an event record")
    }
    if record.prev != previous.hash {
      return ChainBreak(
        seq: seq, expected: previous.hash, found: record.prev,
        problem: "its prev_hash is not the hash of the event before it")
    }
    let computed = EventChain.hash(previous: record.prev, canonicalJSON: record.json)
    if computed != record.hash {
      return ChainBreak(
        seq: seq, expected: computed, found: record.hash,
        problem: "its content does not match its hash (the JSON or the hash was changed)")
    }
    guard let content = try? canonical(record, key: kv.key) else {
      return ChainBreak(
        seq: seq, expected: "an event's canonical JSON", found: record.json,
        problem: "its JSON is not an event")
    }
    let at = Event.timestamp(date(millis: record.at))
    if at != content.at {
      return ChainBreak(
        seq: seq, expected: content.at, found: at, problem: "its at field differs from its hashed content")
    }
    return nil
  }
}
