import FailoverCore
import Store

/// The one place that opens the store backend (SQLite today); everything else holds its ports.
public enum StoreOpening {
  /// Opens (creating it when missing) the store at `path`.
  public static func open(path: String, durability: StoreDurability = .full) throws -> any SwitchboardStore {
    try openMeasured(path: path, durability: durability)
  }

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

extension StoreOpening {
  /// Copies the store at `path` to a new file at `destination` while it may be in use (online backup).
  public static func backup(path: String, to destination: String) throws {
    try SQLiteStore(path: path).backup(to: destination)
  }
}
