import Foundation
import GRDB

/// How much room one table takes in the store's file.
public struct TableFootprint: Sendable, Hashable {
  /// The table's name.
  public var table: String
  /// Its rows.
  public var rows: Int
  /// The bytes of its pages and its indexes' pages.
  public var bytes: Int
}

extension SQLiteStore {
  /// Rows and bytes of each of the store's tables (indexes counted with their table), by name: what
  /// `scripts/bench-store-growth` reports. Reads the whole file; not for the serving path.
  public func tableFootprints() async throws -> [TableFootprint] {
    try await read("measure the store's tables") { db in
      let tables = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND name != 'grdb_migrations' ORDER BY name
          """)
      let bytes = try Row.fetchAll(
        db,
        sql: """
          SELECT m.tbl_name AS owner, SUM(s.pgsize) AS bytes FROM dbstat s JOIN sqlite_master m ON m.name = s.name
          GROUP BY m.tbl_name
          """
      ).reduce(into: [String: Int]()) { $0[$1["owner"]] = $1["bytes"] }
      return try tables.map { table in
        let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
        return TableFootprint(table: table, rows: rows, bytes: bytes[table] ?? 0)
      }
    }
  }

  /// The sizes in bytes of the file and of its write-ahead log (0 when absent).
  public func fileSizes() -> (file: Int, writeAheadLog: Int) {
    func size(_ path: String) -> Int {
      (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
    return (size(path), size(path + "-wal"))
  }
}
