import Foundation

/// What a sorted range read orders by.
enum EtcdSortTarget: String, Sendable {
  case key = "KEY"
  case create = "CREATE"
}

extension EtcdClient {
  /// Reads keys from `start` (inclusive; default `prefix`) to `end` (exclusive; default the end of `prefix`),
  /// sorted by key or create revision, at most `limit` (0: all), optionally only those created at or before
  /// `maxCreateRevision`: the store's paged reads.
  func rangeSorted(
    _ prefix: String, from start: String? = nil, to end: String? = nil, limit: Int = 0,
    sortTarget: EtcdSortTarget = .key, descending: Bool = false, keysOnly: Bool = false,
    maxCreateRevision: Int64? = nil
  ) async throws(EtcdError) -> EtcdRangeResult {
    var body: [String: Any] = [
      "key": Self.b64(start ?? prefix), "range_end": end.map(Self.b64) ?? Self.prefixEnd(prefix),
      "sort_target": sortTarget.rawValue, "sort_order": descending ? "DESCEND" : "ASCEND",
    ]
    if limit > 0 { body["limit"] = String(limit) }
    if keysOnly { body["keys_only"] = true }
    if let maxCreateRevision { body["max_create_revision"] = String(maxCreateRevision) }
    let answer = try await call("/v3/kv/range", body)
    let kvs = try (answer["kvs"] as? [[String: Any]] ?? []).map(Self.keyValue)
    return EtcdRangeResult(
      kvs: kvs, count: Self.int64(answer["count"]), revision: Self.revision(answer),
      more: answer["more"] as? Bool ?? false)
  }

  /// Every key under `prefix`, read in pages of `page` in key (or, `descending`, reverse key) order from
  /// `start`/`end`, handed to `body` page by page until it returns false or the keys run out.
  func scan(
    _ prefix: String, from start: String? = nil, to end: String? = nil, descending: Bool = false,
    page: Int = 500,
    _ body: ([EtcdKeyValue]) throws -> Bool
  ) async throws {
    var start = start
    var end = end
    // Bounded: a page always moves past its last key; 100,000 pages of 500 is far beyond any retention.
    for _ in 0..<100_000 {
      let result = try await rangeSorted(
        prefix, from: start, to: end, limit: page, sortTarget: .key, descending: descending)
      guard try body(result.kvs), result.more, let last = result.kvs.last?.key else { return }
      if descending { end = last } else { start = last + "\u{0}" }
    }
  }

  /// Runs a transaction whose success branch deletes the keys from `start` to `end` (exclusive) and then puts
  /// `put`, when every compare holds; answers whether it ran and how many keys it deleted.
  func deleteRangeTxn(
    compare: [EtcdCompare], start: String, end: String, put: (key: String, value: Data)
  ) async throws(EtcdError) -> (succeeded: Bool, deleted: Int64) {
    let body: [String: Any] = [
      "compare": compare.map(Self.compareBody),
      "success": [
        ["request_delete_range": ["key": Self.b64(start), "range_end": Self.b64(end)]],
        Self.opBody(.put(put.key, put.value)),
      ],
    ]
    let answer = try await call("/v3/kv/txn", body)
    let responses = answer["responses"] as? [[String: Any]] ?? []
    let deleted = (responses.first?["response_delete_range"] as? [String: Any])?["deleted"]
    return (answer["succeeded"] as? Bool ?? false, Self.int64(deleted))
  }
}
