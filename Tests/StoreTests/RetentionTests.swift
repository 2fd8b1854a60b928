import FailoverCore
import Foundation
import Store
import Testing

@Suite("Retention: pruning old records")
struct RetentionTests {
  /// A store holding one event per hour for `hours` hours (event n at hour n).
  static func hourlyEvents(_ folder: TemporaryFolder, hours: Int) async throws -> SQLiteStore {
    let store = try SQLiteStore(path: folder.path())
    try await store.append((1...hours).map { Fixture.event(at: Double($0) * 3600, "Event \($0).") })
    return store
  }

  @Test(
    "Given 10 hourly events, when events older than hour 7 are pruned, then 1-6 are gone, the checkpoint holds event 6's hash, and the chain verifies from it"
  )
  func prunedChainVerifiesFromCheckpoint() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.hourlyEvents(folder, hours: 10)
    let sixth = try await store.events(after: 5, limit: 1)[0]
    let head = try await store.events(after: 9, limit: 1)[0].hash

    let pruned = try await store.pruneEvents(olderThan: Fixture.at(7 * 3600), now: Fixture.at(11 * 3600))

    #expect(pruned == 6)
    #expect(try rawInt(folder.path(), "SELECT COUNT(*) FROM events") == 4)
    #expect(try rawInt(folder.path(), "SELECT MIN(seq) FROM events") == 7)
    let checkpoint = try #require(try await store.chainCheckpoint())
    #expect(checkpoint.seq == 6)
    #expect(checkpoint.hash == sixth.hash)
    #expect(checkpoint.at == Fixture.at(6 * 3600))
    #expect(checkpoint.prunedAt == Fixture.at(11 * 3600))
    #expect(try await store.verifyChain() == .intact(count: 4, head: head))
    #expect(try await store.lastEventSeq() == 10)
  }

  @Test("Given a pruned log, when a retained event is edited, then verification breaks exactly there")
  func tamperedRetainedEventDetected() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.hourlyEvents(folder, hours: 10)
    try await store.pruneEvents(olderThan: Fixture.at(7 * 3600), now: Fixture.at(11 * 3600))

    try rawSQL(folder.path(), "UPDATE events SET json = replace(json, 'Event 8.', 'Nothing.') WHERE seq = 8")

    guard case .broken(let link) = try await store.verifyChain() else {
      Issue.record("expected a broken chain")
      return
    }
    #expect(link.seq == 8)
    #expect(link.problem.contains("its content does not match its hash"))
  }

  @Test(
    "Given a pruned log, when the first retained event is deleted or the checkpoint is moved, then verification breaks"
  )
  func checkpointLinkIsChecked() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.hourlyEvents(folder, hours: 10)
    try await store.pruneEvents(olderThan: Fixture.at(7 * 3600), now: Fixture.at(11 * 3600))

    try rawSQL(folder.path(), "DELETE FROM events WHERE seq = 7")
    guard case .broken(let gap) = try await store.verifyChain() else {
      Issue.record("expected a broken chain after deleting the first retained event")
      return
    }
    #expect(gap.seq == 8)
    #expect(gap.problem.contains("jumps from 6 to 8"))

    try rawSQL(folder.path(), "UPDATE event_chain_checkpoint SET seq = 7")
    guard case .broken(let forged) = try await store.verifyChain() else {
      Issue.record("expected a broken chain after moving the checkpoint")
      return
    }
    #expect(forged.seq == 8)
    #expect(forged.problem.contains("prev_hash"))
  }

  @Test(
    "Given a pruned log, when it is pruned again and appended to, then the chain still verifies and never loses its newest event"
  )
  func repeatedPruningKeepsHead() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.hourlyEvents(folder, hours: 10)
    try await store.pruneEvents(olderThan: Fixture.at(4 * 3600), now: Fixture.at(11 * 3600))

    let second = try await store.pruneEvents(olderThan: Fixture.at(100 * 3600), now: Fixture.at(101 * 3600))
    try await store.append([Fixture.event(at: 102 * 3600, "After.")])

    #expect(second == 6)
    #expect(try await store.chainCheckpoint()?.seq == 9)
    #expect(try await store.events(after: 0).map(\.seq) == [10, 11])
    #expect(try await store.verifyChain().isIntact)
  }

  @Test(
    "Given an old event edited before pruning, when it is due for pruning, then nothing is pruned and the store says the chain is broken"
  )
  func brokenEventsAreNotPruned() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.hourlyEvents(folder, hours: 10)
    try rawSQL(folder.path(), "UPDATE events SET json = replace(json, 'Event 3.', 'Nothing.') WHERE seq = 3")

    await #expect {
      try await store.pruneEvents(olderThan: Fixture.at(7 * 3600), now: Fixture.at(11 * 3600))
    } throws: { error in
      guard case .auditChainBroken(let link) = error as? StoreError else { return false }
      return link.seq == 3
    }
    #expect(try rawInt(folder.path(), "SELECT COUNT(*) FROM events") == 10)
    #expect(try await store.chainCheckpoint() == nil)
  }

  @Test(
    "Given ended and running workflows, when ended ones older than the cutoff are pruned, then they go with their steps, running ones stay, and each service keeps its latest transition"
  )
  func finishedWorkflowsPruned() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    for (id, seconds) in [("old-1", 0.0), ("old-2", 100.0), ("new", 10_000.0)] {
      let plan = Fixture.plan(id, at: seconds)
      try await store.begin(plan, events: [])
      try await store.append(
        Fixture.entry(id, index: 0, .checkTargetHealth, .started, at: seconds + 1), events: [])
      try await store.finish(
        id, outcome: .succeeded,
        timings: WorkflowTimings(decidedAt: Fixture.at(seconds), finishedAt: Fixture.at(seconds + 10)),
        events: [])
    }
    try await store.begin(Fixture.plan("running", service: "web.example.com", at: 0), events: [])

    let pruned = try await store.pruneFinishedWorkflows(olderThan: Fixture.at(5000))

    #expect(pruned == 2)
    #expect(try rawInt(folder.path(), "SELECT COUNT(*) FROM workflows") == 2)
    #expect(
      try rawInt(folder.path(), "SELECT COUNT(*) FROM workflow_steps WHERE workflow_id LIKE 'old-%'") == 0)
    #expect(try await store.unfinishedWorkflows().map(\.id) == ["running"])
    #expect(try await store.transitions(service: "api.example.com").map(\.at) == [Fixture.at(10_010)])

    let all = try await store.pruneFinishedWorkflows(olderThan: Fixture.at(1_000_000))
    #expect(all == 1)
    #expect(try await store.transitions(service: "api.example.com").count == 1)
  }

  @Test("Given overrides that expired long ago and lately, when pruned, then only the old ones go")
  func expiredOverridesPruned() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    for (id, expiry) in [("old", 600.0), ("recent", 90_000.0)] {
      let override = Override(
        id: id, scope: .global, kind: .freeze, actor: "alice", reason: "test", createdAt: Fixture.at(0),
        expiresAt: Fixture.at(expiry))
      try await store.save(override, event: Fixture.event(.overrideCreated, scope: .global))
    }

    let pruned = try await store.pruneExpiredOverrides(olderThan: Fixture.at(86_400))

    #expect(pruned == 1)
    #expect(try await store.overrides().map(\.id) == ["recent"])
  }

  @Test("Given a write-ahead log grown by writes, when it is truncated after pruning, then it is empty")
  func writeAheadLogTruncated() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.hourlyEvents(folder, hours: 200)
    try await store.pruneEvents(olderThan: Fixture.at(150 * 3600), now: Fixture.at(201 * 3600))
    let wal = folder.path() + "-wal"
    let before = try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0

    #expect(try await store.truncateWriteAheadLog())

    #expect(before > 0)
    #expect(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int == 0)
    #expect(try await store.verifyChain().isIntact)
  }
}
