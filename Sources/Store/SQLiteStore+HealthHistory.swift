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
  public func recordObservations(_ observations: [Observation]) async throws {
    guard !observations.isEmpty else { return }
    let rows = try observations.map { ($0, try StoreCoding.json($0)) }
    let keep = observationsPerSignal
    try await write("record observations") { db in
      for (observation, json) in rows {
        let key = Self.columns(observation.signal)
        try db.execute(
          sql: "INSERT INTO observations (service, region, signal, at_ms, json) VALUES (?, ?, ?, ?, ?)",
          arguments: [key.service, key.region, key.signal, StoreCoding.millis(observation.at), json])
      }
      for signal in Set(observations.map(\.signal)) {
        let key = Self.columns(signal)
        try db.execute(
          sql: """
            DELETE FROM observations WHERE service = ?1 AND region = ?2 AND signal = ?3 AND seq <= (
              SELECT seq FROM observations WHERE service = ?1 AND region = ?2 AND signal = ?3
              ORDER BY seq DESC LIMIT 1 OFFSET ?4)
            """,
          arguments: [key.service, key.region, key.signal, keep])
      }
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
