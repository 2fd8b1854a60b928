import FailoverCore
import Foundation
import Store
import Synchronization

/// What one store write puts in its transaction: the compares guarding what it read, its operations, and the
/// audit events it appends (chained by `EtcdStore.write`).
struct EtcdWritePlan: Sendable {
  var compares: [EtcdCompare] = []
  var ops: [EtcdOp] = []
  var events: [Event] = []
}

/// What a write's planning step decided: nothing to write (with the answer), or a transaction to run.
enum EtcdWriteDecision<T: Sendable>: Sendable {
  case done(T)
  case write(EtcdWritePlan, T)
}

/// The audit chain's head: the last event's seq and hash, and the head key's mod revision (0: no key yet).
struct EtcdChainHead: Sendable, Codable {
  var seq: Int64
  var hash: String
  var modRevision: Int64 = 0

  enum CodingKeys: String, CodingKey {
    case seq, hash
  }
}

/// Serializes this process's writes (FIFO), so its tasks never race each other's compares.
final class EtcdWriteQueue: Sendable {
  private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

  func run<T>(_ body: () async throws -> T) async throws -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let now = state.withLock { state -> Bool in
        if state.busy {
          state.waiters.append(continuation)
          return false
        }
        state.busy = true
        return true
      }
      if now { continuation.resume() }
    }
    defer {
      let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
        if state.waiters.isEmpty {
          state.busy = false
          return nil
        }
        return state.waiters.removeFirst()
      }
      next?.resume()
    }
    return try await body()
  }
}

extension EtcdStore {
  /// Runs one write: `plan` reads what it needs and says what to write; the transaction carries its compares, the
  /// chain head's and (when `fenced`) the fence's. A failed compare re-plans (another node wrote meanwhile), at
  /// most `maxAttempts` times; a failed fence is `EtcdError.notLeader`. Returns the plan's answer and the events
  /// as stored.
  func write<T: Sendable>(
    _ operation: String, fenced: Bool = false, _ plan: () async throws -> EtcdWriteDecision<T>
  ) async throws -> (T, [StoredEvent]) {
    try await mapping(operation) {
      try await writes.run {
        for _ in 0..<Self.maxAttempts {
          let fencing = fenced ? try (fence.withLock { $0 }?.fencingCompares() ?? []) : []
          let write: EtcdWritePlan
          let answer: T
          switch try await plan() {
          case .done(let done): return (done, [])
          case .write(let planned, let planAnswer):
            write = planned
            answer = planAnswer
          }
          var compares = write.compares + fencing
          var ops = write.ops
          var stored: [StoredEvent] = []
          var head: EtcdChainHead?
          if !write.events.isEmpty {
            let current = try await chainHead()
            compares.append(.modRevision(key("chain", "head"), equals: current.modRevision))
            let chained = try chain(write.events, after: current)
            ops += chained.ops
            stored = chained.stored
            head = chained.head
          }
          let result = try await client.txn(EtcdTxn(compare: compares, success: ops))
          if result.succeeded {
            if var head {
              head.modRevision = result.revision
              cachedHead.withLock { $0 = head }
            }
            return (answer, stored)
          }
          cachedHead.withLock { $0 = nil }
          if !fencing.isEmpty, try await !client.txn(EtcdTxn(compare: fencing)).succeeded {
            throw EtcdError.notLeader(
              "this node no longer holds the leader key its fence compares, so the "
                + "write was refused and nothing was written")
          }
        }
        throw StoreError.database(
          operation: operation,
          reason: "other nodes' writes kept changing what it read (\(Self.maxAttempts) attempts)")
      }
    }
  }

  /// Runs `body`, passing `StoreError`s and `EtcdError.notLeader` through and turning etcd failures into
  /// `StoreError.database` naming the operation.
  func mapping<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as StoreError {
      throw error
    } catch EtcdError.notLeader(let detail) {
      throw EtcdError.notLeader(detail)
    } catch let error as EtcdError {
      throw StoreError.database(operation: operation, reason: error.description)
    } catch {
      throw StoreError.database(operation: operation, reason: "\(error)")
    }
  }

  /// Runs a read, mapping errors as `mapping` does.
  func read<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
    try await mapping(operation, body)
  }

  /// The chain head: as last written by this process, else read (falling back to the last event when the head
  /// key is missing, as SQLite does, so the log can go on).
  func chainHead() async throws -> EtcdChainHead {
    if let cached = cachedHead.withLock({ $0 }) { return cached }
    if let kv = try await client.get(key("chain", "head")) {
      var head = try Self.decode(EtcdChainHead.self, kv)
      head.modRevision = kv.modRevision
      return head
    }
    let last = try await client.rangeSorted(
      prefix("events"), limit: 1, sortTarget: .key, descending: true)
    if let kv = last.kvs.first {
      let record = try Self.decode(EtcdEventRecord.self, kv)
      return EtcdChainHead(seq: Self.eventSeq(kv.key), hash: record.hash)
    }
    return EtcdChainHead(seq: 0, hash: EventChain.genesis)
  }

  /// The puts of `events` chained after `head`, with the new head's put last.
  func chain(_ events: [Event], after head: EtcdChainHead) throws -> (
    ops: [EtcdOp], stored: [StoredEvent], head: EtcdChainHead
  ) {
    var head = head
    var ops: [EtcdOp] = []
    var stored: [StoredEvent] = []
    for event in events {
      let json = String(decoding: event.canonicalJSON(), as: UTF8.self)
      let hash = EventChain.hash(previous: head.hash, canonicalJSON: json)
      let seq = head.seq + 1
      let id = UUID().uuidString.lowercased()
      let millis = Self.millis(event.at)
      let record = EtcdEventRecord(id: id, at: millis, json: json, prev: head.hash, hash: hash)
      ops.append(.put(eventKey(seq), try Self.encode(record)))
      var asHashed = event
      asHashed.at = Self.date(millis: millis)
      stored.append(StoredEvent(seq: seq, id: id, event: asHashed, hash: hash))
      head = EtcdChainHead(seq: seq, hash: hash, modRevision: head.modRevision)
    }
    ops.append(.put(key("chain", "head"), try Self.encode(head)))
    return (ops, stored, head)
  }

  // MARK: Coding

  /// Compact JSON with sorted keys; dates as exact seconds (lossless round trip).
  static func encode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
  }

  /// Decodes a key's value, naming the key when it cannot.
  static func decode<T: Decodable>(_ type: T.Type, _ kv: EtcdKeyValue) throws -> T {
    do {
      return try JSONDecoder().decode(type, from: kv.value)
    } catch {
      throw StoreError.corruptRow(table: "etcd", key: kv.key, reason: "\(error)")
    }
  }

  /// Milliseconds since 1970 (the precision of event and workflow times, as in SQLite).
  static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

  /// The instant of a millisecond count.
  static func date(millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
