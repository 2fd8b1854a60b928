import FailoverCore
import Store

/// The one place that opens the store backend (SQLite today); everything else holds its ports.
public enum StoreOpening {
  /// Opens (creating it when missing) the store at `path`.
  public static func open(path: String, durability: StoreDurability = .full) throws -> any SwitchboardStore {
    switch durability {
    case .full: return try SQLiteStore(path: path, durability: .full)
    case .normal: return try SQLiteStore(path: path, durability: .normal)
    }
  }
}

extension StoreOpening {
  /// Opens the store at `path` with its footprint readings (the store-growth benchmark).
  public static func openMeasured(path: String, durability: StoreDurability = .full) throws
    -> any MeasuredStore
  {
    switch durability {
    case .full: return try SQLiteStore(path: path, durability: .full)
    case .normal: return try SQLiteStore(path: path, durability: .normal)
    }
  }
}

/// A store that can say how much room its records take, per table and on disk.
public protocol MeasuredStore: SwitchboardStore {
  /// Rows and bytes per table.
  func tableFootprints() async throws -> [TableFootprint]
  /// The database file's size and its write-ahead log's, in bytes.
  func fileSizes() -> (file: Int, writeAheadLog: Int)
}

extension SQLiteStore: MeasuredStore {}
