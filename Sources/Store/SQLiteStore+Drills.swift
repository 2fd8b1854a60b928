import FailoverCore
import Foundation
import GRDB

extension SQLiteStore: DrillStore {
  /// Inserts or replaces a drill (keeping its place in creation order) and appends its events, in one transaction.
  public func saveDrill(_ drill: Drill, events: [Event]) async throws {
    let json = try StoreCoding.json(drill)
    try await write("save drill \(drill.id)") { db in
      try db.execute(
        sql: """
          INSERT INTO drills (id, state, updated_ms, json) VALUES (?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms,
            json = excluded.json
          """,
        arguments: [drill.id, drill.state.rawValue, StoreCoding.millis(drill.updatedAt), json])
      if !events.isEmpty { _ = try Self.appendEvents(events, in: db) }
    }
  }

  /// Every drill, oldest first.
  public func drills() async throws -> [Drill] {
    try await read("list drills") { db in
      try Row.fetchAll(db, sql: "SELECT id, json FROM drills ORDER BY seq").map {
        try StoreCoding.decode(Drill.self, from: $0["json"], table: "drills", key: $0["id"])
      }
    }
  }

  /// One drill by id; nil when there is none.
  public func drill(id: String) async throws -> Drill? {
    try await read("read drill \(id)") { db in
      try String.fetchOne(db, sql: "SELECT json FROM drills WHERE id = ?", arguments: [id]).map {
        try StoreCoding.decode(Drill.self, from: $0, table: "drills", key: id)
      }
    }
  }

  /// Inserts or replaces a run (keeping its place) and appends its events, in one transaction.
  public func saveRun(_ run: DrillRun, events: [Event]) async throws {
    let json = try StoreCoding.json(run)
    try await write("save drill run \(run.id)") { db in
      try db.execute(
        sql: """
          INSERT INTO drill_runs (id, drill_id, state, started_ms, json) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET state = excluded.state, json = excluded.json
          """,
        arguments: [run.id, run.drillID, run.state.rawValue, StoreCoding.millis(run.startedAt), json])
      if !events.isEmpty { _ = try Self.appendEvents(events, in: db) }
    }
  }

  /// Runs of one drill (or all), newest first.
  public func drillRuns(drillID: String?, limit: Int) async throws -> [DrillRun] {
    let limit = min(max(limit, 1), 500)
    return try await read("list drill runs") { db in
      let rows =
        if let drillID {
          try Row.fetchAll(
            db, sql: "SELECT id, json FROM drill_runs WHERE drill_id = ? ORDER BY seq DESC LIMIT ?",
            arguments: [drillID, limit])
        } else {
          try Row.fetchAll(
            db, sql: "SELECT id, json FROM drill_runs ORDER BY seq DESC LIMIT ?", arguments: [limit])
        }
      return try rows.map {
        try StoreCoding.decode(DrillRun.self, from: $0["json"], table: "drill_runs", key: $0["id"])
      }
    }
  }

  /// One run by id; nil when there is none.
  public func drillRun(id: String) async throws -> DrillRun? {
    try await read("read drill run \(id)") { db in
      try String.fetchOne(db, sql: "SELECT json FROM drill_runs WHERE id = ?", arguments: [id]).map {
        try StoreCoding.decode(DrillRun.self, from: $0, table: "drill_runs", key: id)
      }
    }
  }

  /// Runs still running, oldest first.
  public func runningDrillRuns() async throws -> [DrillRun] {
    try await read("list running drill runs") { db in
      try Row.fetchAll(db, sql: "SELECT id, json FROM drill_runs WHERE state = 'running' ORDER BY seq").map {
        try StoreCoding.decode(DrillRun.self, from: $0["json"], table: "drill_runs", key: $0["id"])
      }
    }
  }
}
