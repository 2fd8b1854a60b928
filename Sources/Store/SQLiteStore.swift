import FailoverCore
import Foundation
import GRDB
import Synchronization

/// Switchboard's durable state in one SQLite file (WAL): workflows and their steps, audit events (hash-chained),
/// overrides, routing state and transitions, bounded health history, and REST idempotency records.
///
/// Every method is one transaction: a write either happens whole, with the events it carries, or not at all.
/// Safe to share between tasks; writes are serialized, reads run in parallel with them.
///
/// Durability: by default `synchronous = FULL`, so a write that returned survives a process kill *and* a power
/// loss. `.normal` (WAL + `synchronous = NORMAL`) still survives a process kill (SIGKILL) of any kind, because
/// returned writes are in the WAL file; only a power loss or OS crash could drop the last transactions.
public final class SQLiteStore: Sendable {
  /// How hard a commit waits for the disk.
  public enum Durability: String, Sendable {
    /// Every commit is fsynced: survives process kills and power loss.
    case full = "FULL"
    /// WAL commits are fsynced at checkpoints: survives process kills, not power loss. Faster.
    case normal = "NORMAL"
  }

  /// The file's path, as given.
  public let path: String
  /// How many observations the health history keeps per signal (older ones are pruned as new ones arrive).
  public let observationsPerSignal: Int
  let pool: DatabasePool
  /// Each signal's rows in the health history, once counted (this store is the table's only writer).
  let observationCounts = Mutex<[SignalKey: Int]>([:])

  /// Opens the store at `path`, creating the file and its parent folder on first start, and applies the
  /// migrations this version knows. The health history keeps the last `observationsPerSignal` samples of
  /// each signal.
  ///
  /// - Throws: `StoreError.cannotOpen`, `.notAStore` (an SQLite file Switchboard did not create) or
  ///   `.newerSchema` (a file migrated by a newer Switchboard).
  public init(path: String, durability: Durability = .full, observationsPerSignal: Int = 1000) throws {
    self.path = path
    self.observationsPerSignal = max(observationsPerSignal, 1)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw StoreError.cannotOpen(path: path, reason: "its folder \(folder) cannot be created (\(error))")
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.label = "switchboard.store"
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
    }
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
      throw StoreError.notAStore(path: path)
    } catch {
      throw StoreError.cannotOpen(path: path, reason: "\(error)")
    }
    try StoreSchema.prepare(pool, path: path)
  }

  /// The names of the migrations applied to the file, in order.
  public func appliedMigrations() async throws -> [String] {
    try await read("list migrations") { db in try StoreSchema.migrator.appliedMigrations(db) }
  }
}

/// The SQLite store keeps every fact behind FailoverCore's store ports (one transaction per method).
extension SQLiteStore: SwitchboardStore {}
