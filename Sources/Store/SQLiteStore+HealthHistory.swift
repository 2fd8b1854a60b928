import FailoverCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Records one observation and prunes its signal's history to the last `observationsPerSignal`, in one
  /// transaction.
  public func recordObservation(_ observation: Observation) async throws {
    try await recordObservations([observation])
  }

  /// Records observations (e.g. one tick's) and prunes each signal's history, in one transaction.
  ///
  /// Pruning costs what was added, not what is kept: each signal's row count is remembered (counted once per
  /// process), and only its oldest excess rows are deleted.
  public func recordObservations(_ observations: [Observation]) async throws {
    guard !observations.isEmpty else { return }
    let rows = try observations.map { ($0, try ObservationJSON.encode($0)) }
    let added = Dictionary(observations.map { ($0.signal, 1) }, uniquingKeysWith: +)
    let keep = observationsPerSignal
    do {
      try await write("record observations") { db in
        for (observation, json) in rows {
          let key = Self.columns(observation.signal)
          try db.execute(
            sql: "INSERT INTO observations (service, region, signal, at_ms, json) VALUES (?, ?, ?, ?, ?)",
            arguments: [key.service, key.region, key.signal, StoreCoding.millis(observation.at), json])
        }
        let known = self.observationCounts.withLock { counts in added.keys.map { ($0, counts[$0]) } }
        var kept: [SignalKey: Int] = [:]
        for (signal, before) in known {
          let key = Self.columns(signal)
          let arguments: StatementArguments = [key.service, key.region, key.signal]
          let total =
            try before.map { $0 + added[signal, default: 0] }
            ?? Int.fetchOne(
              db, sql: "SELECT COUNT(*) FROM observations WHERE service = ? AND region = ? AND signal = ?",
              arguments: arguments) ?? 0
          if total > keep {
            try db.execute(
              sql: """
                DELETE FROM observations WHERE seq IN (
                  SELECT seq FROM observations WHERE service = ? AND region = ? AND signal = ? ORDER BY seq LIMIT ?)
                """,
              arguments: arguments + [total - keep])
          }
          kept[signal] = min(total, keep)
        }
        self.observationCounts.withLock { $0.merge(kept) { _, new in new } }
      }
    } catch {
      // The transaction may not have happened: count these signals again next time.
      observationCounts.withLock { counts in for signal in added.keys { counts[signal] = nil } }
      throw error
    }
  }

  /// The last `limit` observations of one signal, newest first.
  public func recentObservations(signal: SignalKey, limit: Int = 100) async throws -> [Observation] {
    let key = Self.columns(signal)
    return try await read("read the history of \(signal)") { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT seq, json FROM observations WHERE service = ? AND region = ? AND signal = ?
          ORDER BY seq DESC LIMIT ?
          """,
        arguments: [key.service, key.region, key.signal, max(limit, 1)]
      ).map(Self.observation)
    }
  }

  /// The last `limit` observations of every signal of a service in a region (its own signals, not region-wide
  /// ones; pass `service: nil` for those), newest first.
  public func recentObservations(service: ServiceID?, region: RegionID, limit: Int = 100) async throws
    -> [Observation]
  {
    try await read("read the health history of \(service?.rawValue ?? "region") in \(region)") { db in
      try Row.fetchAll(
        db,
        sql: "SELECT seq, json FROM observations WHERE service = ? AND region = ? ORDER BY seq DESC LIMIT ?",
        arguments: [service?.rawValue ?? "", region.rawValue, max(limit, 1)]
      ).map(Self.observation)
    }
  }

  private static func columns(_ signal: SignalKey) -> (service: String, region: String, signal: String) {
    (signal.service?.rawValue ?? "", signal.region.rawValue, signal.name)
  }

  private static func observation(_ row: Row) throws -> Observation {
    let seq: Int64 = row["seq"]
    return try StoreCoding.decode(
      Observation.self, from: row["json"], table: "observations", key: "seq \(seq)")
  }
}
