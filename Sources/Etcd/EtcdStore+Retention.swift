import FailoverCore
import Foundation
import Store

extension EtcdStore: StorePruning {
  /// Deletes the audit events older than `cutoff` (the oldest run of them, in seq order; never the newest event),
  /// after checking that they still link from the previous checkpoint, and records the last deleted event as the
  /// new checkpoint, in one transaction (one range delete, guarded by the checkpoint's and head's revisions).
  ///
  /// - Throws: `StoreError.auditChainBroken` (and deletes nothing) when the events to delete do not verify.
  @discardableResult
  public func pruneEvents(olderThan cutoff: Date, now: Date) async throws -> Int {
    let cutoffMillis = Self.millis(cutoff)
    return try await mapping("prune audit events") {
      try await writes.run {
        let headKV = try await client.get(key("chain", "head"))
        let head =
          try headKV.map { try Self.decode(EtcdChainHead.self, $0) } ?? EtcdChainHead(seq: 0, hash: "")
        let checkpointKV = try await client.get(key("chain", "checkpoint"))
        let checkpoint = try checkpointKV.map { try Self.decode(EtcdCheckpointRecord.self, $0) }
        var previous: (seq: Int64, hash: String) =
          checkpoint.map { ($0.seq, $0.hash) } ?? (0, EventChain.genesis)
        var lastMillis: Int64 = 0
        var broken: ChainBreak?
        try await client.scan(prefix("events"), to: eventKey(head.seq)) { page in
          for kv in page {
            let record = try Self.decode(EtcdEventRecord.self, kv)
            if record.at >= cutoffMillis { return false }
            let seq = Self.eventSeq(kv.key)
            if let link = Self.brokenLink(kv, seq: seq, previous: previous) {
              broken = link
              return false
            }
            previous = (seq, record.hash)
            lastMillis = record.at
          }
          return true
        }
        if let broken { throw StoreError.auditChainBroken(broken) }
        let first = checkpoint?.seq ?? 0
        guard previous.seq > first else { return 0 }
        let record = EtcdCheckpointRecord(
          seq: previous.seq, hash: previous.hash, at: lastMillis, pruned: Self.millis(now))
        let result = try await client.deleteRangeTxn(
          compare: [
            .modRevision(key("chain", "checkpoint"), equals: checkpointKV?.modRevision ?? 0),
            .modRevision(key("chain", "head"), equals: headKV?.modRevision ?? 0),
          ],
          start: prefix("events"), end: eventKey(previous.seq + 1),
          put: (key("chain", "checkpoint"), try Self.encode(record)))
        guard result.succeeded else {
          throw StoreError.database(
            operation: "prune audit events",
            reason: "another node appended or pruned meanwhile; the next run retries")
        }
        return Int(result.deleted)
      }
    }
  }

  /// Deletes workflows that ended before `cutoff`, with their steps, and the transitions recorded before it
  /// except each service's latest. Running workflows are never deleted. Returns how many workflows were deleted.
  @discardableResult
  public func pruneFinishedWorkflows(olderThan cutoff: Date) async throws -> Int {
    let millis = Self.millis(cutoff)
    return try await read("prune finished workflows") {
      let ended = try await client.rangeSorted(prefix("workflows"), sortTarget: .create).kvs.filter {
        let row = try Self.decode(EtcdWorkflowRow.self, $0)
        return row.state != .running && (row.finished ?? .max) < millis
      }
      let deleted = try await deleteKeys(ended)
      for kv in ended {
        let id = String(kv.key.dropFirst(prefix("workflows").count)).removingPercentEncoding ?? ""
        try await client.delete(prefix("steps", id), prefix: true)
      }
      let transitions = try await client.rangeSorted(prefix("transitions"), sortTarget: .create).kvs
      var latest: [String: Int64] = [:]
      var rows: [(EtcdKeyValue, EtcdTransitionRow)] = []
      for kv in transitions {
        let row = try Self.decode(EtcdTransitionRow.self, kv)
        latest[row.transition.service.rawValue] = kv.createRevision
        rows.append((kv, row))
      }
      _ = try await deleteKeys(
        rows.filter { $0.1.at < millis && latest[$0.1.transition.service.rawValue] != $0.0.createRevision }
          .map(\.0))
      return deleted
    }
  }

  /// Deletes overrides that expired before `cutoff`. Returns how many were deleted.
  @discardableResult
  public func pruneExpiredOverrides(olderThan cutoff: Date) async throws -> Int {
    let millis = Self.millis(cutoff)
    return try await read("prune expired overrides") {
      let expired = try await client.range(prefix("overrides"), prefix: true).kvs.filter {
        Self.millis(try Self.decode(Override.self, $0).expiresAt) < millis
      }
      return try await deleteKeys(expired)
    }
  }

  /// Nothing to give back here: etcd compacts its own history (`--auto-compaction-retention`); always true.
  @discardableResult
  public func truncateWriteAheadLog() async throws -> Bool { true }
}
