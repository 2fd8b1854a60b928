import FailoverCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Workflows of one service (or of all services when nil), newest first, `limit` per page (1...500),
  /// continuing before the `before` cursor (a `WorkflowPage.nextCursor`).
  public func workflows(service: ServiceID? = nil, before: Int64? = nil, limit: Int = 50) async throws
    -> WorkflowPage
  {
    try await read("list workflows") { db in
      var conditions: [String] = []
      var arguments: StatementArguments = []
      if let service {
        conditions.append("service = ?")
        arguments += [service.rawValue]
      }
      if let before {
        conditions.append("seq < ?")
        arguments += [before]
      }
      let limit = min(max(limit, 1), 500)
      var sql = "SELECT * FROM workflows"
      if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
      sql += " ORDER BY seq DESC LIMIT \(limit + 1)"
      let (records, next) = try Self.keysetPage(
        db, sql: sql, arguments: arguments, limit: limit, row: Self.workflowRecord, seq: \.seq)
      return WorkflowPage(workflows: records, nextCursor: next)
    }
  }

  /// One workflow with its steps; nil for an unknown id.
  public func workflow(id: String) async throws -> WorkflowDetail? {
    try await read("read workflow \(id)") { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM workflows WHERE id = ?", arguments: [id])
      else {
        return nil
      }
      return WorkflowDetail(record: try Self.workflowRecord(row), entries: try Self.entries(of: id, db))
    }
  }

  /// The workflow of a service that has begun and not finished (the oldest, should there be several); nil when
  /// none is in flight.
  public func inFlightWorkflow(service: ServiceID) async throws -> WorkflowDetail? {
    try await read("read the in-flight workflow of \(service)") { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM workflows WHERE service = ? AND state = 'running' ORDER BY seq LIMIT 1",
          arguments: [service.rawValue])
      else { return nil }
      let record = try Self.workflowRecord(row)
      return WorkflowDetail(record: record, entries: try Self.entries(of: record.id, db))
    }
  }

  static func workflowRecord(_ row: Row) throws -> WorkflowRecord {
    let id: String = row["id"]
    let stateText: String = row["state"]
    guard let state = WorkflowState(rawValue: stateText) else {
      throw StoreError.corruptRow(table: "workflows", key: id, reason: "unknown state \"\(stateText)\"")
    }
    let outcome: String? = row["outcome"]
    let timings: String? = row["timings"]
    let finished: Int64? = row["finished_ms"]
    return WorkflowRecord(
      seq: row["seq"],
      plan: try StoreCoding.decode(WorkflowPlan.self, from: row["plan"], table: "workflows", key: id),
      state: state,
      outcome: try outcome.map {
        try StoreCoding.decode(WorkflowOutcome.self, from: $0, table: "workflows", key: id)
      },
      timings: try timings.map {
        try StoreCoding.decode(WorkflowTimings.self, from: $0, table: "workflows", key: id)
      },
      createdAt: StoreCoding.date(millis: row["created_ms"]),
      finishedAt: finished.map(StoreCoding.date(millis:)))
  }
}
