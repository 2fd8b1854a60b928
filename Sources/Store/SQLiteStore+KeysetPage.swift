import GRDB

extension SQLiteStore {
  /// Fetches one page of rows ordered by `seq`: `sql` must select `limit + 1` rows, the extra one only telling
  /// that another page follows, whose cursor is then the `seq` of the page's last row.
  static func keysetPage<T>(
    _ db: Database, sql: String, arguments: StatementArguments, limit: Int, row: (Row) throws -> T,
    seq: KeyPath<T, Int64>
  ) throws -> (rows: [T], next: Int64?) {
    var rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map(row)
    guard rows.count > limit else { return (rows, nil) }
    rows.removeLast()
    return (rows, rows.last?[keyPath: seq])
  }
}
