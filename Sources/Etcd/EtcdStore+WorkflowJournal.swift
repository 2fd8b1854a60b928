import FailoverCore
import Foundation
import Store

/// One workflow as kept under `workflows/<id>`; its seq is the key's create revision (creation order), its steps
/// are under `steps/<id>/<ordinal, 8 digits>`, `steps` counting them.
struct EtcdWorkflowRow: Codable, Sendable {
  var plan: WorkflowPlan
  var service: String
  var state: WorkflowState
  var outcome: WorkflowOutcome?
  var timings: WorkflowTimings?
  var created: Int64
  var finished: Int64?
  var steps: Int
}

/// A transition as kept under `transitions/<service>/<workflow id>` (its order: the key's create revision).
struct EtcdTransitionRow: Codable, Sendable {
  var at: Int64
  var transition: Transition
}

/// A service's routing state as kept under `routing/<service>`.
struct EtcdRoutingRow: Codable, Sendable {
  var state: RoutingState
  var updated: Int64
  var workflow: String?
}

extension EtcdStore: WorkflowJournal {
  /// Records a new workflow and its events in one fenced transaction; an id already begun is a no-op (its events
  /// are not appended again).
  public func begin(_ workflow: WorkflowPlan, events: [Event]) async throws {
    let key = workflowKey(workflow.id)
    let row = EtcdWorkflowRow(
      plan: workflow, service: workflow.plan.service.rawValue, state: .running,
      created: Self.millis(workflow.decidedAt), steps: 0)
    let value = try Self.encode(row)
    _ = try await write("begin workflow \(workflow.id)", fenced: true) {
      if try await client.get(key) != nil { return .done(()) }
      return .write(
        EtcdWritePlan(compares: [.createRevision(key, equals: 0)], ops: [.put(key, value)], events: events),
        ())
    }
  }

  /// Appends one step entry and its events in one fenced transaction.
  ///
  /// - Throws: `StoreError.unknownWorkflow` or `.workflowAlreadyFinished`.
  public func append(_ entry: StepJournalEntry, events: [Event]) async throws {
    let json = try Self.encode(entry)
    let key = workflowKey(entry.workflowID)
    _ = try await write("journal a step of workflow \(entry.workflowID)", fenced: true) {
      let (kv, row) = try await workflowRow(entry.workflowID)
      guard row.state == .running else {
        throw StoreError.workflowAlreadyFinished(id: entry.workflowID, state: row.state.rawValue)
      }
      var next = row
      next.steps += 1
      return .write(
        EtcdWritePlan(
          compares: [.modRevision(key, equals: kv.modRevision)],
          ops: [.put(stepKey(entry.workflowID, row.steps), json), .put(key, try Self.encode(next))],
          events: events), ())
    }
  }

  /// Closes a workflow with its events in one fenced transaction. On success it also records the transition and
  /// the service's new routing state. Finishing again with the same outcome is a no-op.
  ///
  /// - Throws: `StoreError.unknownWorkflow`, or `.workflowAlreadyFinished` for a different outcome.
  public func finish(
    _ workflowID: String, outcome: WorkflowOutcome, timings: WorkflowTimings, events: [Event]
  ) async throws {
    let finishedAt = timings.finishedAt ?? events.map(\.at).max() ?? timings.decidedAt
    let key = workflowKey(workflowID)
    _ = try await write("finish workflow \(workflowID)", fenced: true) {
      let (kv, row) = try await workflowRow(workflowID)
      guard row.state == .running else {
        if row.outcome == outcome { return .done(()) }
        throw StoreError.workflowAlreadyFinished(id: workflowID, state: row.state.rawValue)
      }
      var next = row
      next.state = outcome == .succeeded ? .succeeded : .failed
      next.outcome = outcome
      next.timings = timings
      next.finished = Self.millis(finishedAt)
      var ops: [EtcdOp] = [.put(key, try Self.encode(next))]
      if outcome == .succeeded {
        let plan = row.plan.plan
        let transition = Transition(
          service: plan.service, from: plan.from, to: plan.to, trigger: plan.trigger, at: finishedAt)
        ops.append(
          .put(
            self.key("transitions", plan.service.rawValue, workflowID),
            try Self.encode(EtcdTransitionRow(at: Self.millis(finishedAt), transition: transition))))
        ops.append(routingPut(plan.to, at: finishedAt, workflowID: workflowID))
      }
      return .write(
        EtcdWritePlan(compares: [.modRevision(key, equals: kv.modRevision)], ops: ops, events: events), ())
    }
  }

  /// Workflows begun and not finished, oldest first: what to resume after a restart.
  public func unfinishedWorkflows() async throws -> [WorkflowPlan] {
    try await read("list unfinished workflows") {
      try await allWorkflows().filter { $0.state == .running }.map(\.plan)
    }
  }

  /// The entries of one workflow, in the order they were appended (empty for an unknown id).
  public func entries(workflowID: String) async throws -> [StepJournalEntry] {
    try await read("read the steps of workflow \(workflowID)") { try await stepEntries(workflowID) }
  }

  // MARK: Keys and reads

  func workflowKey(_ id: String) -> String { key("workflows", id) }

  func stepKey(_ id: String, _ ordinal: Int) -> String {
    key("steps", id, Self.padded(Int64(ordinal), width: 8))
  }

  func routingPut(_ state: RoutingState, at: Date, workflowID: String?) -> EtcdOp {
    let row = EtcdRoutingRow(state: state, updated: Self.millis(at), workflow: workflowID)
    return .put(key("routing", state.service.rawValue), (try? Self.encode(row)) ?? Data())
  }

  /// The workflow's key and row; throws `StoreError.unknownWorkflow` when there is none.
  func workflowRow(_ id: String) async throws -> (EtcdKeyValue, EtcdWorkflowRow) {
    guard let kv = try await client.get(workflowKey(id)) else { throw StoreError.unknownWorkflow(id: id) }
    return (kv, try Self.decode(EtcdWorkflowRow.self, kv))
  }

  func stepEntries(_ id: String) async throws -> [StepJournalEntry] {
    try await client.range(prefix("steps", id), prefix: true).kvs.map {
      try Self.decode(StepJournalEntry.self, $0)
    }
  }

  /// Every workflow, oldest first (a full read of `workflows/`: bounded by retention).
  func allWorkflows() async throws -> [WorkflowRecord] {
    try await client.rangeSorted(prefix("workflows"), sortTarget: .create).kvs.map(Self.workflowRecord)
  }

  static func workflowRecord(_ kv: EtcdKeyValue) throws -> WorkflowRecord {
    let row = try decode(EtcdWorkflowRow.self, kv)
    return WorkflowRecord(
      seq: kv.createRevision, plan: row.plan, state: row.state, outcome: row.outcome, timings: row.timings,
      createdAt: date(millis: row.created), finishedAt: row.finished.map(date(millis:)))
  }
}
