import FailoverCore
import Foundation
import GRDB
import Store
import StoreConformance

/// A folder under the system temp dir, removed when the test is done with it.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "switchboard-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// A path inside the folder (not created).
  func path(_ name: String = "switchboard.sqlite") -> String { url.appendingPathComponent(name).path }
}

/// Runs raw SQL against a store file, as an attacker or a careless operator would.
func rawSQL(_ path: String, _ sql: String) throws {
  let queue = try DatabaseQueue(path: path)
  try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
}

/// Reads one integer with raw SQL.
func rawInt(_ path: String, _ sql: String) throws -> Int {
  let queue = try DatabaseQueue(path: path)
  return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
}

/// Reads one text value with raw SQL.
func rawString(_ path: String, _ sql: String) throws -> String? {
  let queue = try DatabaseQueue(path: path)
  return try queue.read { db in try String.fetchOne(db, sql: sql) }
}

/// The shared fixtures of the store conformance suite, under the name these tests use.
typealias Fixture = StoreFixture
