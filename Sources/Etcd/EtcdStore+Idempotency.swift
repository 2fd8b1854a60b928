import FailoverCore
import Foundation

/// A remembered response as kept under `idempotency/<actor>/<key>` (body base64, time in ms).
struct EtcdIdempotencyRow: Codable, Sendable {
  var key: String
  var actor: String
  var method: String
  var path: String
  var requestHash: String
  var status: Int
  var headers: [String: String]
  var body: Data
  var created: Int64

  init(_ record: IdempotencyRecord) {
    key = record.key
    actor = record.actor
    method = record.method
    path = record.path
    requestHash = record.requestHash
    status = record.status
    headers = record.headers
    body = record.body
    created = EtcdStore.millis(record.createdAt)
  }

  var record: IdempotencyRecord {
    IdempotencyRecord(
      key: key, actor: actor, method: method, path: path, requestHash: requestHash, status: status,
      headers: headers, body: body, createdAt: EtcdStore.date(millis: created))
  }

  func isLive(at now: Date) -> Bool {
    created > EtcdStore.millis(now.addingTimeInterval(-IdempotencyRecord.lifetime))
  }
}

extension EtcdStore: IdempotencyStore {
  /// The live record of a key for an actor; nil when there is none or it is older than 24 hours at `now`.
  public func lookupIdempotent(key: String, actor: String, now: Date) async throws -> IdempotencyRecord? {
    try await read("look up an idempotency key") {
      guard let kv = try await client.get(self.key("idempotency", actor, key)) else { return nil }
      let row = try Self.decode(EtcdIdempotencyRow.self, kv)
      return row.isLive(at: now) ? row.record : nil
    }
  }

  /// Saves a response under its key, unless a live record already holds that key for that actor: then the
  /// earlier record stays and is returned (the first response wins). Returns nil when saved. An expired record
  /// under the same key is replaced. Guarded by the key's mod revision, so two nodes cannot both win.
  @discardableResult
  public func saveIdempotent(_ record: IdempotencyRecord) async throws -> IdempotencyRecord? {
    let key = self.key("idempotency", record.actor, record.key)
    let value = try Self.encode(EtcdIdempotencyRow(record))
    return try await write("save an idempotency key") {
      let kv = try await client.get(key)
      if let kv {
        let existing = try Self.decode(EtcdIdempotencyRow.self, kv)
        if existing.isLive(at: record.createdAt) { return .done(existing.record) }
      }
      return .write(
        EtcdWritePlan(compares: [.modRevision(key, equals: kv?.modRevision ?? 0)], ops: [.put(key, value)]),
        nil)
    }.0
  }

  /// Deletes records older than 24 hours at `now` (each guarded by its mod revision, so a record saved again
  /// meanwhile stays); returns how many were deleted.
  @discardableResult
  public func pruneIdempotency(now: Date) async throws -> Int {
    try await read("prune idempotency keys") {
      let expired = try await client.range(prefix("idempotency"), prefix: true).kvs.filter {
        try !Self.decode(EtcdIdempotencyRow.self, $0).isLive(at: now)
      }
      return try await deleteKeys(expired)
    }
  }

  /// Deletes `kvs`, each only if unchanged since read, in transactions of at most 60; answers how many went.
  func deleteKeys(_ kvs: [EtcdKeyValue]) async throws -> Int {
    var deleted = 0
    for start in stride(from: 0, to: kvs.count, by: Self.maxOps / 2) {
      let chunk = kvs[start..<min(start + Self.maxOps / 2, kvs.count)]
      let txn = EtcdTxn(
        compare: chunk.map { .modRevision($0.key, equals: $0.modRevision) },
        success: chunk.map { .delete($0.key) })
      if try await client.txn(txn).succeeded {
        deleted += chunk.count
      } else {
        // One changed meanwhile: delete the others one by one.
        for kv in chunk {
          let one = EtcdTxn(
            compare: [.modRevision(kv.key, equals: kv.modRevision)], success: [.delete(kv.key)])
          if try await client.txn(one).succeeded { deleted += 1 }
        }
      }
    }
    return deleted
  }
}
