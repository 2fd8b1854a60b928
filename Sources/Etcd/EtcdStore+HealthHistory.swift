import FailoverCore
import Foundation
import Store

extension EtcdStore: HealthHistory {
  /// Records observations (e.g. one tick's) under `observations/<service>/<region>/<signal>/<ms>-<n>-<node>` in
  /// as few transactions as etcd allows (at most `maxOps` operations each: about 120 observations), no compares
  /// (each node writes its own keys).
  ///
  /// Pruning costs what was added: each signal's key count is remembered (counted once per process), and once it
  /// exceeds the bound by a tenth, its oldest keys are read (keys only) and deleted with the next batch.
  public func recordObservations(_ observations: [Observation]) async throws {
    guard !observations.isEmpty else { return }
    var ops: [EtcdOp] = []
    for observation in observations {
      let sequence = observationCounter.withLock { counter -> Int64 in
        counter += 1
        return counter
      }
      let name = [
        Self.padded(Self.millis(observation.at), width: 15), Self.padded(sequence, width: 12),
        observationToken,
      ].joined(separator: "-")
      ops.append(
        .put(signalPrefix(observation.signal) + name, Data(try ObservationJSON.encode(observation).utf8)))
    }
    let added = Dictionary(observations.map { ($0.signal, 1) }, uniquingKeysWith: +)
    let keep = observationsPerSignal
    let slack = max(keep / 10, 1)
    do {
      try await mapping("record observations") {
        var kept: [SignalKey: Int] = [:]
        for (signal, count) in added {
          let known = observationCounts.withLock { $0[signal] }
          var total: Int
          if let known {
            total = known + count
          } else {
            let counted = try await client.range(signalPrefix(signal), prefix: true, limit: 1, keysOnly: true)
            total = Int(counted.count) + count
          }
          if total > keep + slack {
            let oldest = try await client.rangeSorted(
              signalPrefix(signal), limit: total - keep, sortTarget: .key, keysOnly: true)
            ops += oldest.kvs.map { .delete($0.key) }
            total -= oldest.kvs.count
          }
          kept[signal] = total
        }
        for start in stride(from: 0, to: ops.count, by: Self.maxOps) {
          _ = try await client.txn(EtcdTxn(success: Array(ops[start..<min(start + Self.maxOps, ops.count)])))
        }
        observationCounts.withLock { $0.merge(kept) { _, new in new } }
      }
    } catch {
      // The writes may not all have happened: count these signals again next time.
      observationCounts.withLock { counts in for signal in added.keys { counts[signal] = nil } }
      throw error
    }
  }

  /// The last `limit` observations of one signal, newest first.
  public func recentObservations(signal: SignalKey, limit: Int = 100) async throws -> [Observation] {
    try await read("read the history of \(signal)") {
      try await client.rangeSorted(
        signalPrefix(signal), limit: max(limit, 1), sortTarget: .key, descending: true
      )
      .kvs.map { try Self.decode(Observation.self, $0) }
    }
  }

  /// The last `limit` observations of every signal of a service in a region (its own signals, not region-wide
  /// ones; pass `service: nil` for those), newest first: every signal's kept history is read and merged here.
  public func recentObservations(service: ServiceID?, region: RegionID, limit: Int = 100) async throws
    -> [Observation]
  {
    try await read("read the health history of \(service?.rawValue ?? "region") in \(region)") {
      let kvs = try await client.range(
        prefix("observations", service?.rawValue ?? "", region.rawValue), prefix: true
      ).kvs
      let newest = kvs.sorted { Self.observationName($0.key) > Self.observationName($1.key) }
      return try newest.prefix(max(limit, 1)).map { try Self.decode(Observation.self, $0) }
    }
  }

  /// The key prefix of one signal's history.
  func signalPrefix(_ signal: SignalKey) -> String {
    prefix("observations", signal.service?.rawValue ?? "", signal.region.rawValue, signal.name)
  }

  /// The last component of an observation key (time, then sequence): what orders them.
  static func observationName(_ key: String) -> Substring {
    key.split(separator: "/").last ?? ""
  }
}
