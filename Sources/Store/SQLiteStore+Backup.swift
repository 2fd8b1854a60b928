import Foundation
import GRDB

extension SQLiteStore {
  /// Copies the whole store to a new file at `path` with SQLite's online backup: a consistent snapshot of one
  /// moment, taken while Switchboard keeps writing (a plain file copy can miss the write-ahead log). Never
  /// overwrites: an existing `path` is refused.
  ///
  /// - Throws: `StoreError.cannotOpen` when `path` exists or cannot be written.
  public func backup(to path: String) throws {
    guard !FileManager.default.fileExists(atPath: path) else {
      throw StoreError.cannotOpen(
        path: path, reason: "it already exists, and a backup never overwrites a file")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let destination = try DatabaseQueue(path: path)
      try pool.backup(to: destination)
      try destination.close()
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw StoreError.cannotOpen(path: path, reason: "the backup could not be written (\(error))")
    }
  }
}
