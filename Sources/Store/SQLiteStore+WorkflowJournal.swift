import FailoverCore
import Foundation
import GRDB

extension SQLiteStore: WorkflowJournal {
  /// Records a new workflow and its events in one transaction; an id already begun is a no-op (its events are
  /// not appended again).
  public func begin(_ workflow: WorkflowPlan, events: [Event]) async throws {
    let plan = try StoreCoding.json(workflow)
    try await write("begin workflow \(workflow.id)") { db in
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO workflows (id, service, plan, state, created_ms)
          VALUES (?, ?, ?, 'running', ?)
          """,
        arguments: [
          workflow.id, workflow.plan.service.rawValue, plan, StoreCoding.millis(workflow.decidedAt),
        ])
      guard db.changesCount > 0 else { return }
      _ = try Self.appendEvents(events, in: db)
    }
  }

  /// Appends one step entry and its events in one transaction.
  ///
  /// - Throws: `StoreError.unknownWorkflow` or `.workflowAlreadyFinished`.
  public func append(_ entry: StepJournalEntry, events: [Event]) async throws {
    let json = try StoreCoding.json(entry)
    try await write("journal a step of workflow \(entry.workflowID)") { db in
      let state = try Self.state(of: entry.workflowID, db)
      guard state == .running else {
        throw StoreError.workflowAlreadyFinished(id: entry.workflowID, state: state.rawValue)
      }
      try db.execute(
        sql: """
          INSERT INTO workflow_steps (workflow_id, ordinal, entry)
          VALUES (?, (SELECT COALESCE(MAX(ordinal) + 1, 0) FROM workflow_steps WHERE workflow_id = ?), ?)
          """,
        arguments: [entry.workflowID, entry.workflowID, json])
      _ = try Self.appendEvents(events, in: db)
    }
  }

  /// Closes a workflow with its events in one transaction. On success it also records the transition and the
  /// service's new routing state. Finishing again with the same outcome is a no-op (events not appended twice).
  ///
  /// - Throws: `StoreError.unknownWorkflow`, or `.workflowAlreadyFinished` for a different outcome.
  public func finish(
    _ workflowID: String, outcome: WorkflowOutcome, timings: WorkflowTimings, events: [Event]
  ) async throws {
    let outcomeJSON = try StoreCoding.json(outcome)
    let timingsJSON = try StoreCoding.json(timings)
    let finishedAt = timings.finishedAt ?? events.map(\.at).max() ?? timings.decidedAt
    try await write("finish workflow \(workflowID)") { db in
      let state = try Self.state(of: workflowID, db)
      guard state == .running else {
        let stored = try String.fetchOne(
          db, sql: "SELECT outcome FROM workflows WHERE id = ?", arguments: [workflowID])
        if stored == outcomeJSON { return }
        throw StoreError.workflowAlreadyFinished(id: workflowID, state: state.rawValue)
      }
      let newState: WorkflowState = outcome == .succeeded ? .succeeded : .failed
      try db.execute(
        sql: "UPDATE workflows SET state = ?, outcome = ?, timings = ?, finished_ms = ? WHERE id = ?",
        arguments: [newState.rawValue, outcomeJSON, timingsJSON, StoreCoding.millis(finishedAt), workflowID])
      if outcome == .succeeded {
        let plan = try Self.plan(of: workflowID, db).plan
        let transition = Transition(
          service: plan.service, from: plan.from, to: plan.to, trigger: plan.trigger, at: finishedAt)
        try Self.recordTransition(transition, workflowID: workflowID, in: db)
        try Self.saveRoutingState(plan.to, at: finishedAt, workflowID: workflowID, in: db)
      }
      _ = try Self.appendEvents(events, in: db)
    }
  }

  /// Workflows begun and not finished, oldest first: what to resume after a restart.
  public func unfinishedWorkflows() async throws -> [WorkflowPlan] {
    try await read("list unfinished workflows") { db in
      try Row.fetchAll(db, sql: "SELECT id, plan FROM workflows WHERE state = 'running' ORDER BY seq").map {
        try StoreCoding.decode(WorkflowPlan.self, from: $0["plan"], table: "workflows", key: $0["id"])
      }
    }
  }

  /// The entries of one workflow, in the order they were appended (empty for an unknown id).
  public func entries(workflowID: String) async throws -> [StepJournalEntry] {
    try await read("read the steps of workflow \(workflowID)") { db in try Self.entries(of: workflowID, db) }
  }

  // MARK: Inside a transaction

  static func state(of workflowID: String, _ db: Database) throws -> WorkflowState {
    guard
      let text = try String.fetchOne(
        db, sql: "SELECT state FROM workflows WHERE id = ?", arguments: [workflowID])
    else { throw StoreError.unknownWorkflow(id: workflowID) }
    guard let state = WorkflowState(rawValue: text) else {
      throw StoreError.corruptRow(table: "workflows", key: workflowID, reason: "unknown state \"\(text)\"")
    }
    return state
  }

  static func plan(of workflowID: String, _ db: Database) throws -> WorkflowPlan {
    guard
      let json = try String.fetchOne(
        db, sql: "SELECT plan FROM workflows WHERE id = ?", arguments: [workflowID])
    else { throw StoreError.unknownWorkflow(id: workflowID) }
    return try StoreCoding.decode(WorkflowPlan.self, from: json, table: "workflows", key: workflowID)
  }

  static func entries(of workflowID: String, _ db: Database) throws -> [StepJournalEntry] {
    try Row.fetchAll(
      db, sql: "SELECT ordinal, entry FROM workflow_steps WHERE workflow_id = ? ORDER BY ordinal",
      arguments: [workflowID]
    ).map { row in
      let ordinal: Int64 = row["ordinal"]
      return try StoreCoding.decode(
        StepJournalEntry.self, from: row["entry"], table: "workflow_steps", key: "\(workflowID)#\(ordinal)")
    }
  }
}
