import FailoverCore
import Foundation
import Store
import StoreConformance
import Testing

/// The SQLite store runs the store conformance suite: every rule of FailoverCore's store ports.
@Suite("SQLite store conformance")
struct SQLiteConformanceTests {
  /// SQLite stores, each in a new file under `folder`; tampering edits an event's JSON with raw SQL.
  static func backend(in folder: String) -> StoreConformanceBackend {
    StoreConformanceBackend(
      name: "SQLite",
      makeStore: { try SQLiteStore(path: folder + "/\(UUID().uuidString).sqlite") },
      tamperWithEvent: { store, seq in
        guard let sqlite = store as? SQLiteStore else {
          throw CocoaError(.featureUnsupported)
        }
        try rawSQL(
          sqlite.path,
          "UPDATE events SET json = replace(json, '\"message\":\"', '\"message\":\"Edited: ') WHERE seq = \(seq)"
        )
      })
  }

  @Test(arguments: StoreConformance.checks)
  func conforms(_ check: StoreConformanceCheck) async throws {
    let folder = try TemporaryFolder()
    try await check.run(on: Self.backend(in: folder.url.path))
  }
}
