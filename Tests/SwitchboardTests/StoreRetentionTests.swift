import Configuration
import FailoverCore
import Foundation
import Store
import Switchboard
import Synchronization
import Testing

/// The pruning schedule while serving, on a manual clock: each pass prunes with the settings in force, and the
/// audit chain still verifies (and still catches an edit) afterwards.
@Suite("Store retention while serving")
struct StoreRetentionTests {
  /// A sleeper that moves the manual clock instead of waiting, and stops the schedule after `passes` sleeps.
  final class ClockSleeper: Sleeper {
    let clock: EngineManualClock
    let passes: Int
    let slept = Mutex<[Double]>([])
    init(_ clock: EngineManualClock, passes: Int) {
      self.clock = clock
      self.passes = passes
    }
    func sleep(seconds: Double) async throws {
      let count = slept.withLock {
        $0.append(seconds); return $0.count
      }
      guard count < passes else { throw CancellationError() }
      clock.advance(seconds)
    }
  }

  static func store() throws -> (SQLiteStore, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retention-\(UUID())").path
    return (try SQLiteStore(path: directory + "/switchboard.sqlite"), directory)
  }

  static func event(_ message: String, at: Date) -> Event {
    Event(kind: .overrideCreated, scope: .global, actor: "alice", at: at, message: message)
  }

  @Test(
    "Given events older and newer than an hour, when the schedule runs hourly passes, then the second pass prunes the old ones and the chain verifies from the checkpoint, still catching an edited retained event"
  )
  func hourlyPassesKeepChainVerifiable() async throws {
    let clock = EngineManualClock()
    let (store, directory) = try Self.store()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let t0 = clock.now
    try await store.append([
      Self.event("one", at: t0.addingTimeInterval(-1800)),
      Self.event("two", at: t0.addingTimeInterval(-1200)),
      Self.event("three", at: t0.addingTimeInterval(1800)),
      Self.event("four", at: t0.addingTimeInterval(1900)),
    ])
    let sleeper = ClockSleeper(clock, passes: 2)
    let retention = StoreRetention(store: store, clock: clock, sleeper: sleeper) {
      RetentionSettings(events: 3600, workflows: 3600, overrides: 3600, interval: 3600)
    }

    await retention.run()

    #expect(sleeper.slept.withLock { $0 } == [3600, 3600])
    #expect(try await store.chainCheckpoint()?.seq == 2)
    #expect(try await store.events(after: 0).map(\.event.message) == ["three", "four"])
    #expect(try await store.verifyChain().isIntact)
    #expect(store.fileSizes().writeAheadLog == 0)

    try Self.rawEdit(
      directory + "/switchboard.sqlite",
      "UPDATE events SET json = replace(json, 'four', 'FOUR') WHERE seq = 4")
    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("an edited retained event must break the chain")
      return
    }
    #expect(link.seq == 4)
  }

  @Test(
    "Given an ended workflow, an expired override and an old idempotency record, when a pass runs, then each is pruned once past its age"
  )
  func onePassPrunesEachKind() async throws {
    let clock = EngineManualClock()
    let (store, directory) = try Self.store()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let old = clock.now.addingTimeInterval(-3 * 86400)
    let config = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL)
    let service = config.services[0]
    let plan = FailoverPlan(
      service: service.id, from: .single(service.id, "us-east-1"), to: .single(service.id, "us-west-2"),
      trigger: .manual, actor: "dave", reason: "drill", allowsUnhealthyTarget: true)
    let decision = Decision(service: service.id, at: old, outcome: .initiate(plan), explanation: "test")
    let workflow = try #require(WorkflowPlan(id: "wf-old", decision: decision, service: service))
    try await store.begin(workflow, events: [])
    try await store.finish(
      "wf-old", outcome: .succeeded, timings: WorkflowTimings(decidedAt: old, finishedAt: old), events: [])
    try await store.save(
      Override(
        id: "ov-old", scope: .global, kind: .freeze, actor: "alice", reason: "window", createdAt: old,
        expiresAt: old.addingTimeInterval(3600)),
      event: Self.event("froze", at: old))
    try await store.saveIdempotent(
      IdempotencyRecord(
        key: "k1", actor: "alice", method: "POST", path: "/api/v1/overrides", requestHash: "h", status: 201,
        headers: [:], body: Data("{}".utf8), createdAt: old))
    let retention = StoreRetention(store: store, clock: clock) {
      RetentionSettings(events: 86400, workflows: 86400, overrides: 86400)
    }

    let pass = await retention.prune()
    let again = await retention.prune()

    #expect(pass.workflows == 1 && pass.overrides == 1 && pass.idempotencyRecords == 1, "\(pass)")
    #expect(pass.events == 0, "the newest event is never pruned")
    #expect(pass.problem == nil)
    #expect(again.workflows == 0 && again.overrides == 0 && again.idempotencyRecords == 0)
    #expect(try await store.workflow(id: "wf-old") == nil)
    #expect(try await store.overrides().isEmpty)
    #expect(try await store.transitions(service: service.id).count == 1, "the latest transition stays")
  }

  static func rawEdit(_ path: String, _ sql: String) throws {
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", "-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", path, sql,
    ]
    try python.run()
    python.waitUntilExit()
    #expect(python.terminationStatus == 0)
  }
}
