import FailoverCore
import Foundation
import GRDB

extension SQLiteStore: OverrideStore {
  /// Inserts or replaces an override (by id, keeping its place in creation order) and appends its event, in one
  /// transaction.
  public func save(_ override: Override, event: Event) async throws {
    let json = try StoreCoding.json(override)
    try await write("save override \(override.id)") { db in
      try db.execute(
        sql: """
          INSERT INTO overrides (id, scope, kind, created_ms, expires_ms, json) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET scope = excluded.scope, kind = excluded.kind,
            created_ms = excluded.created_ms, expires_ms = excluded.expires_ms, json = excluded.json
          """,
        arguments: [
          override.id, override.scope.token, override.kind.rawValue, StoreCoding.millis(override.createdAt),
          StoreCoding.millis(override.expiresAt), json,
        ])
      _ = try Self.appendEvents([event], in: db)
    }
  }

  /// Every override, active or not, oldest first (in the order they were first saved).
  public func overrides() async throws -> [Override] {
    try await read("list overrides") { db in
      try Row.fetchAll(db, sql: "SELECT id, json FROM overrides ORDER BY seq").map {
        try StoreCoding.decode(Override.self, from: $0["json"], table: "overrides", key: $0["id"])
      }
    }
  }

  /// One override by id; nil when there is none.
  public func override(id: String) async throws -> Override? {
    try await read("read override \(id)") { db in
      try String.fetchOne(db, sql: "SELECT json FROM overrides WHERE id = ?", arguments: [id]).map {
        try StoreCoding.decode(Override.self, from: $0, table: "overrides", key: id)
      }
    }
  }
}
