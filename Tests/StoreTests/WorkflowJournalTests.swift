import FailoverCore
import Foundation
import Store
import Testing

@Suite("The workflow journal")
struct WorkflowJournalTests {
  @Test("Beginning the same workflow twice records it and its events once")
  func beginIsIdempotent() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let plan = Fixture.plan("wf-1")

    try await store.begin(plan, events: [Fixture.event(.workflowStarted, at: 0)])
    try await store.begin(plan, events: [Fixture.event(.workflowStarted, at: 5)])

    #expect(try await store.unfinishedWorkflows() == [plan])
    #expect(try await store.lastEventSeq() == 1)
  }

  @Test("Steps and the ending commit with their events; success records the transition and routing state")
  func appendAndFinish() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let plan = Fixture.plan("wf-1")
    try await store.begin(plan, events: [Fixture.event(.workflowStarted, at: 0)])
    let started = Fixture.entry("wf-1", index: 0, .checkTargetHealth, .started, at: 1)
    let finished = Fixture.entry("wf-1", index: 0, .checkTargetHealth, .finished, at: 2)

    try await store.append(started, events: [Fixture.event(.workflowStepStarted, at: 1)])
    try await store.append(finished, events: [Fixture.event(.workflowStepFinished, at: 2)])
    let timings = WorkflowTimings(decidedAt: Fixture.at(0), finishedAt: Fixture.at(60))
    try await store.finish(
      "wf-1", outcome: .succeeded, timings: timings,
      events: [
        Fixture.event(.workflowSucceeded, at: 60)
      ])

    #expect(try await store.entries(workflowID: "wf-1") == [started, finished])
    #expect(try await store.unfinishedWorkflows().isEmpty)
    let kinds = try await store.events(since: Fixture.t0, limit: 10).map(\.kind)
    #expect(kinds == [.workflowStarted, .workflowStepStarted, .workflowStepFinished, .workflowSucceeded])
    #expect(try await store.routingState(service: "api.example.com") == plan.plan.to)
    #expect(
      try await store.transitions(since: Fixture.t0) == [
        Transition(
          service: "api.example.com", from: plan.plan.from, to: plan.plan.to, trigger: .automatic,
          at: Fixture.at(60))
      ])
    let detail = try #require(try await store.workflow(id: "wf-1"))
    #expect(detail.record.state == .succeeded)
    #expect(detail.record.outcome == .succeeded)
    #expect(detail.record.timings == timings)
    #expect(detail.record.finishedAt == Fixture.at(60))
    #expect(try await store.verifyChain().isIntact)
  }

  @Test("A failed workflow keeps the routing state and records no transition")
  func failureChangesNoRouting() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    try await store.begin(Fixture.plan("wf-1"), events: [])
    let outcome = WorkflowOutcome.failed(step: .changeDNS, reason: "Route53 refused the change.")

    try await store.finish(
      "wf-1", outcome: outcome, timings: WorkflowTimings(decidedAt: Fixture.at(0), finishedAt: Fixture.at(9)),
      events: [Fixture.event(.workflowFailed, at: 9)])

    #expect(try await store.routingState(service: "api.example.com") == nil)
    #expect(try await store.transitions(since: .distantPast).isEmpty)
    #expect(try await store.workflow(id: "wf-1")?.record.state == .failed)
    #expect(try await store.workflow(id: "wf-1")?.record.outcome == outcome)
  }

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

  @Test("Workflows of a service page newest first; one workflow comes with its steps")
  func workflowQueries() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    for n in 1...7 {
      try await store.begin(Fixture.plan("api-\(n)", at: Double(n * 100)), events: [])
      try await store.begin(
        Fixture.plan("web-\(n)", service: "web.example.com", at: Double(n * 100)), events: [])
    }

    let page1 = try await store.workflows(service: "api.example.com", limit: 3)
    let page2 = try await store.workflows(service: "api.example.com", before: page1.nextCursor, limit: 3)
    let page3 = try await store.workflows(service: "api.example.com", before: page2.nextCursor, limit: 3)

    #expect(page1.workflows.map(\.id) == ["api-7", "api-6", "api-5"])
    #expect(page2.workflows.map(\.id) == ["api-4", "api-3", "api-2"])
    #expect(page3.workflows.map(\.id) == ["api-1"])
    #expect(page3.nextCursor == nil)
    #expect(try await store.workflows(limit: 100).workflows.count == 14)
    #expect(page1.workflows[0].createdAt == Fixture.at(700))
    #expect(page1.workflows[0].state == .running)
    #expect(try await store.workflow(id: "nope") == nil)
  }
}
