import Foundation
import GRDB

extension SQLiteStore {
  /// When the store first saw each status component (a service, or a service in a region, by name): names not
  /// seen before are recorded at `now`, the others keep their first time, so `created_at` survives restarts.
  /// Returns the time of every name asked.
  public func componentsFirstSeen(_ names: [String], now: Date) async throws -> [String: Date] {
    guard !names.isEmpty else { return [:] }
    return try await write("record when status components were first seen") { db in
      var seen: [String: Date] = [:]
      for name in Set(names) {
        try db.execute(
          sql: "INSERT OR IGNORE INTO status_components (name, first_seen_ms) VALUES (?, ?)",
          arguments: [name, StoreCoding.millis(now)])
        let millis = try Int64.fetchOne(
          db, sql: "SELECT first_seen_ms FROM status_components WHERE name = ?", arguments: [name])
        seen[name] = millis.map(StoreCoding.date(millis:)) ?? now
      }
      return seen
    }
  }
}
