import FailoverCore
import Foundation
import Store
import Testing

@Suite("Opening and migrating the store")
struct MigrationTests {
  static let allMigrations = [
    "v1-events", "v1-workflows", "v1-routing", "v1-health", "v1-idempotency",
    "v2-status-components", "v2-retention", "v3-drills-and-drill-runs",
  ]

  @Test("A new store is created, with its missing parent folders, and fully migrated")
  func createsFileAndFolders() async throws {
    let folder = try TemporaryFolder()
    let path = folder.path("state/nested/switchboard.sqlite")

    let store = try SQLiteStore(path: path)

    #expect(FileManager.default.fileExists(atPath: path))
    #expect(try await store.appliedMigrations() == Self.allMigrations)
    #expect(try await store.verifyChain() == .intact(count: 0, head: EventChain.genesis))
  }

  @Test("Reopening a store keeps its data and applies no migration twice")
  func reopenKeepsData() async throws {
    let folder = try TemporaryFolder()
    do {
      let store = try SQLiteStore(path: folder.path())
      try await store.append([Fixture.event(at: 1), Fixture.event(at: 2)])
    }

    let reopened = try SQLiteStore(path: folder.path())

    #expect(try await reopened.appliedMigrations() == Self.allMigrations)
    #expect(try rawInt(folder.path(), "SELECT COUNT(*) FROM grdb_migrations") == Self.allMigrations.count)
    #expect(try await reopened.lastEventSeq() == 2)
    #expect(try await reopened.verifyChain().isIntact)
  }

  @Test("The file is in WAL mode, which persists in the file")
  func walMode() throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())

    #expect(FileManager.default.fileExists(atPath: folder.path() + "-wal"))
    #expect(try rawString(folder.path(), "PRAGMA journal_mode") == "wal")
    _ = store
  }

  @Test("An SQLite file that Switchboard did not create is refused, untouched")
  func foreignDatabaseRefused() throws {
    let folder = try TemporaryFolder()
    try rawSQL(folder.path(), "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    #expect(throws: StoreError.notAStore(path: folder.path())) { try SQLiteStore(path: folder.path()) }
    #expect(try rawInt(folder.path(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events'") == 0)
  }

  @Test("A file that is not SQLite at all is refused")
  func garbageFileRefused() throws {
    let folder = try TemporaryFolder()
    try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: folder.path()))

    #expect(throws: StoreError.notAStore(path: folder.path())) { try SQLiteStore(path: folder.path()) }
  }

  @Test("A store migrated by a newer Switchboard is refused, naming the unknown migrations")
  func newerSchemaRefused() throws {
    let folder = try TemporaryFolder()
    _ = try SQLiteStore(path: folder.path())
    try rawSQL(folder.path(), "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")

    #expect(throws: StoreError.newerSchema(path: folder.path(), unknownMigrations: ["v9-future"])) {
      try SQLiteStore(path: folder.path())
    }
  }

  @Test("A path under a regular file cannot be opened, and the error says where and why")
  func unopenablePath() throws {
    let folder = try TemporaryFolder()
    try Data("not a folder".utf8).write(to: URL(fileURLWithPath: folder.path("file")))
    let path = folder.path("file/switchboard.sqlite")

    let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }

    guard case .cannotOpen(let reported, _) = error else {
      Issue.record("expected cannotOpen, got \(String(describing: error))")
      return
    }
    #expect(reported == path)
    #expect(error?.description.hasPrefix("Cannot open the store at \(path)") == true)
  }
}
