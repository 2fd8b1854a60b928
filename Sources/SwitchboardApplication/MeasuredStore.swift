import FailoverCore
import Store

/// A store that can say how much room its records take, per table and on disk (the store-growth benchmark).
public protocol MeasuredStore: SwitchboardStore {
  /// Rows and bytes per table.
  func tableFootprints() async throws -> [TableFootprint]
  /// The database file's size and its write-ahead log's, in bytes.
  func fileSizes() -> (file: Int, writeAheadLog: Int)
}

extension SQLiteStore: MeasuredStore {}
