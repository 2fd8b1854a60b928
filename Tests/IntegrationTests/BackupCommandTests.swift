import FailoverCore
import Foundation
import Store
import Testing

@Suite("switchboard backup")
struct BackupCommandTests {
  /// A config whose storage path points into a fresh folder, and the store there with `count` events.
  func makeStore(events count: Int) async throws -> (config: String, directory: String, store: SQLiteStore) {
    let fixture = try await StoreFixture.make(events: count, label: "backup")
    return (fixture.config, fixture.directory, fixture.store)
  }

  static func event(_ i: Int) -> Event { StoreFixture.event(i) }

  @Test(
    "Given a store being written, when backed up, then the copy holds a consistent prefix whose chain verifies"
  )
  func onlineBackupVerifies() async throws {
    let (config, directory, store) = try await makeStore(events: 200)
    // Keep writing while the backup runs, as serve would.
    let writer = Task {
      for i in 200..<600 { try await store.append([Self.event(i)]) }
    }
    let copy = directory + "/copies/backup.sqlite"
    let result = try await SwitchboardBinary.run(
      ["backup", "--config", config, "--to", copy],
      environment: try SwitchboardBinary.isolatedEnvironment([:]))
    try await writer.value
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("\(copy): backup of "), "\(result)")
    #expect(result.stdout.contains("audit chain intact ("), "\(result)")

    // The copy is a whole store: audit verify reads it like the original.
    let restored = try String(contentsOfFile: config, encoding: .utf8)
      .replacingOccurrences(of: directory + "/switchboard.sqlite", with: copy)
    let restoredConfig = directory + "/restored.yaml"
    try restored.write(toFile: restoredConfig, atomically: true, encoding: .utf8)
    let verify = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", restoredConfig],
      environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(verify.status == 0, "\(verify)")
    let copied = try await SQLiteStore(path: copy).verifyChain()
    guard case .intact(let count, _) = copied else {
      Issue.record("the copy's chain is broken: \(copied)")
      return
    }
    #expect((200...600).contains(count))
  }

  @Test(
    "Given an existing destination, when backed up, then it refuses with a sentence and leaves the file alone"
  )
  func neverOverwrites() async throws {
    let (config, directory, _) = try await makeStore(events: 3)
    let existing = directory + "/existing.sqlite"
    try "keep me".write(toFile: existing, atomically: true, encoding: .utf8)
    let result = try await SwitchboardBinary.run(
      ["backup", "--config", config, "--to", existing],
      environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("already exists, and a backup never overwrites a file"), "\(result)")
    #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
  }
}
