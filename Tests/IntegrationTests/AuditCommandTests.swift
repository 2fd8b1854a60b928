import FailoverCore
import Foundation
import Store
import Testing

@Suite("switchboard audit verify")
struct AuditCommandTests {
  /// A config whose storage path points into a fresh folder, and a store there holding `count` events.
  func makeStore(events count: Int) async throws -> (config: String, database: String) {
    let fixture = try await StoreFixture.make(events: count, label: "audit")
    return (fixture.config, fixture.database)
  }

  @Test("Given an untouched log, when verified, then it is intact and exits 0")
  func intact() async throws {
    let (config, database) = try await makeStore(events: 5)
    let result = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("\(database): audit chain intact (5 events"), "\(result)")
  }

  @Test(
    "Given a log edited behind Switchboard's back, when verified, then it names the first broken event, exit 1"
  )
  func tampered() async throws {
    let (config, database) = try await makeStore(events: 5)
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", "-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE events SET json=replace(json,'override 2','override X') WHERE seq=3\"); c.commit()",
      database,
    ]
    try python.run()
    python.waitUntilExit()
    #expect(python.terminationStatus == 0)
    let result = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("audit chain broken at event 3"), "\(result)")
  }

  @Test(
    "Given a log whose oldest events retention pruned, when verified, then it says it verifies from the checkpoint and exits 0"
  )
  func prunedVerifiesFromCheckpoint() async throws {
    let (config, database) = try await makeStore(events: 5)
    let store = try SQLiteStore(path: database)
    let pruned = try await store.pruneEvents(
      olderThan: Date(timeIntervalSince1970: 1003), now: Date(timeIntervalSince1970: 2000))
    #expect(pruned == 3)

    let result = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: try SwitchboardBinary.isolatedEnvironment([:]))

    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("events 1 to 3"), "\(result)")
    #expect(result.stdout.contains("verified from the checkpoint (event 3"), "\(result)")
    #expect(result.stdout.contains("audit chain intact (2 events retained since the checkpoint"), "\(result)")
  }

  @Test("Given no store yet, when verified, then it says so and exits 1")
  func missing() async throws {
    let directory = try ChildProcess.temporaryDirectory("audit-missing")
    let example = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml", encoding: .utf8)
    let config = directory + "/config.yaml"
    try example.replacingOccurrences(
      of: "path: data/switchboard.sqlite", with: "path: \(directory)/none.sqlite"
    ).write(toFile: config, atomically: true, encoding: .utf8)
    let result = try await SwitchboardBinary.run(
      ["audit", "verify", "--config", config], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("There is no store at"), "\(result)")
  }
}
