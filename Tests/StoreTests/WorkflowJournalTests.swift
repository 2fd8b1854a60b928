import FailoverCore
import Foundation
import Store
import Testing

@Suite("The workflow journal")
struct WorkflowJournalTests {
  @Test("Finishing again with the same outcome is a no-op; a different outcome or a later step is refused")
  func finishIsFinal() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    try await store.begin(Fixture.plan("wf-1"), events: [])
    let timings = WorkflowTimings(decidedAt: Fixture.at(0), finishedAt: Fixture.at(9))
    try await store.finish("wf-1", outcome: .succeeded, timings: timings, events: [Fixture.event(at: 9)])

    try await store.finish("wf-1", outcome: .succeeded, timings: timings, events: [Fixture.event(at: 10)])
    await #expect(throws: StoreError.workflowAlreadyFinished(id: "wf-1", state: "succeeded")) {
      try await store.finish(
        "wf-1", outcome: .failed(step: .verifyRecord, reason: "late"), timings: timings, events: [])
    }
    await #expect(throws: StoreError.workflowAlreadyFinished(id: "wf-1", state: "succeeded")) {
      try await store.append(
        Fixture.entry("wf-1", index: 2, .changeDNS, .started, at: 11), events: [Fixture.event(at: 11)])
    }

    #expect(try await store.lastEventSeq() == 1)
    #expect(try await store.transitions(since: .distantPast).count == 1)
  }

  @Test("A refused write leaves none of its events behind")
  func refusedWriteIsAtomic() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())

    await #expect(throws: StoreError.unknownWorkflow(id: "ghost")) {
      try await store.append(
        Fixture.entry("ghost", index: 0, .checkTargetHealth, .started, at: 1),
        events: [Fixture.event(.workflowStepStarted, at: 1)])
    }
    await #expect(throws: StoreError.unknownWorkflow(id: "ghost")) {
      try await store.finish(
        "ghost", outcome: .succeeded, timings: WorkflowTimings(decidedAt: Fixture.at(0)),
        events: [Fixture.event(.workflowSucceeded, at: 2)])
    }

    #expect(try await store.lastEventSeq() == 0)
    #expect(try await store.entries(workflowID: "ghost").isEmpty)
  }

  @Test("After a crash (store closed mid-workflow), reopening finds the workflow to resume, its steps intact")
  func unfinishedAfterReopen() async throws {
    let folder = try TemporaryFolder()
    let first = Fixture.plan("wf-1", at: 0)
    let second = Fixture.plan("wf-2", service: "web.example.com", at: 10)
    let step = Fixture.entry("wf-1", index: 0, .checkTargetHealth, .finished, at: 1)
    do {
      let store = try SQLiteStore(path: folder.path())
      try await store.begin(first, events: [Fixture.event(.workflowStarted, at: 0)])
      try await store.append(step, events: [Fixture.event(.workflowStepFinished, at: 1)])
      try await store.begin(second, events: [Fixture.event(.workflowStarted, at: 10)])
    }

    let store = try SQLiteStore(path: folder.path())
    #expect(try await store.unfinishedWorkflows() == [first, second])
    #expect(try await store.entries(workflowID: "wf-1") == [step])
    #expect(try await store.inFlightWorkflow(service: "api.example.com")?.entries == [step])

    // The resumed run begins again (a no-op), then completes exactly once.
    try await store.begin(first, events: [Fixture.event(.workflowStarted, at: 20)])
    try await store.finish(
      "wf-1", outcome: .succeeded,
      timings: WorkflowTimings(decidedAt: Fixture.at(0), finishedAt: Fixture.at(30)),
      events: [Fixture.event(.workflowSucceeded, at: 30)])
    #expect(try await store.unfinishedWorkflows() == [second])
    #expect(try await store.inFlightWorkflow(service: "api.example.com") == nil)
    #expect(
      try await store.verifyChain() == .intact(count: 4, head: try await store.events(after: 3)[0].hash))
  }

  @Test("A row edited into nonsense is reported as unreadable, naming the table and the row")
  func corruptRow() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    try await store.begin(Fixture.plan("wf-1"), events: [])

    try rawSQL(folder.path(), "UPDATE workflows SET state = 'exploded' WHERE id = 'wf-1'")

    await #expect(
      throws: StoreError.corruptRow(table: "workflows", key: "wf-1", reason: "unknown state \"exploded\"")
    ) { try await store.workflow(id: "wf-1") }
  }
}
