import FailoverCore
import Foundation
import Store

/// A fresh folder with a configuration (the two-region example) whose store path points into it, and that store
/// holding `count` override events: what the store commands (`audit verify`, `backup`) read.
enum StoreFixture {
  static func make(events count: Int, label: String) async throws -> (
    config: String, directory: String, database: String, store: SQLiteStore
  ) {
    let directory = try ChildProcess.temporaryDirectory(label)
    let database = directory + "/switchboard.sqlite"
    let example = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml", encoding: .utf8)
    let config = directory + "/config.yaml"
    try example.replacingOccurrences(of: "path: data/switchboard.sqlite", with: "path: \(database)")
      .write(toFile: config, atomically: true, encoding: .utf8)
    let store = try SQLiteStore(path: database)
    for i in 0..<count { try await store.append([event(i)]) }
    return (config, directory, database, store)
  }

  /// The `i`th event of a fixture.
  static func event(_ i: Int) -> Event {
    Event(
      kind: .overrideCreated, scope: .global, actor: "alice",
      at: Date(timeIntervalSince1970: Double(1000 + i)),
      message: "override \(i)")
  }
}
