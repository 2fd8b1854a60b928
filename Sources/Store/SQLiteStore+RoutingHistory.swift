import FailoverCore
import Foundation
import GRDB

extension SQLiteStore: RoutingHistory {
  /// Where a service's traffic goes, as last recorded (nil before its first workflow or bootstrap).
  public func routingState(service: ServiceID) async throws -> RoutingState? {
    try await read("read the routing state of \(service)") { db in
      try String.fetchOne(
        db, sql: "SELECT json FROM routing_states WHERE service = ?", arguments: [service.rawValue]
      ).map {
        try StoreCoding.decode(RoutingState.self, from: $0, table: "routing_states", key: service.rawValue)
      }
    }
  }

  /// Completed transitions of all services at or after an instant, oldest first.
  public func transitions(since: Date) async throws -> [Transition] {
    try await read("list transitions") { db in
      try Row.fetchAll(
        db, sql: "SELECT seq, json FROM transitions WHERE at_ms >= ? ORDER BY seq",
        arguments: [StoreCoding.millis(since)]
      ).map(Self.transition)
    }
  }

  /// The last `limit` transitions of one service, newest first.
  public func transitions(service: ServiceID, limit: Int = 50) async throws -> [Transition] {
    try await read("list transitions of \(service)") { db in
      try Row.fetchAll(
        db, sql: "SELECT seq, json FROM transitions WHERE service = ? ORDER BY seq DESC LIMIT ?",
        arguments: [service.rawValue, min(max(limit, 1), 1000)]
      ).map(Self.transition)
    }
  }

  /// Every service's recorded routing state.
  public func routingStates() async throws -> [RoutingState] {
    try await read("read routing states") { db in
      try Row.fetchAll(db, sql: "SELECT service, json FROM routing_states ORDER BY service").map {
        try StoreCoding.decode(
          RoutingState.self, from: $0["json"], table: "routing_states", key: $0["service"])
      }
    }
  }

  /// Records where a service's traffic goes without a workflow (bootstrap: what DNS says at first start), with
  /// its events, in one transaction. No transition is recorded.
  public func recordRoutingState(_ state: RoutingState, at: Date, events: [Event] = []) async throws {
    try await write("record the routing state of \(state.service)") { db in
      try Self.saveRoutingState(state, at: at, workflowID: nil, in: db)
      _ = try Self.appendEvents(events, in: db)
    }
  }

  // MARK: Inside a transaction

  static func saveRoutingState(_ state: RoutingState, at: Date, workflowID: String?, in db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO routing_states (service, json, updated_ms, workflow_id) VALUES (?, ?, ?, ?)
        ON CONFLICT(service) DO UPDATE SET json = excluded.json, updated_ms = excluded.updated_ms,
          workflow_id = excluded.workflow_id
        """,
      arguments: [state.service.rawValue, try StoreCoding.json(state), StoreCoding.millis(at), workflowID])
  }

  static func recordTransition(_ transition: Transition, workflowID: String?, in db: Database) throws {
    try db.execute(
      sql: "INSERT INTO transitions (service, trigger, at_ms, workflow_id, json) VALUES (?, ?, ?, ?, ?)",
      arguments: [
        transition.service.rawValue, transition.trigger.rawValue, StoreCoding.millis(transition.at),
        workflowID,
        try StoreCoding.json(transition),
      ])
  }

  static func transition(_ row: Row) throws -> Transition {
    let seq: Int64 = row["seq"]
    return try StoreCoding.decode(Transition.self, from: row["json"], table: "transitions", key: "seq \(seq)")
  }
}
