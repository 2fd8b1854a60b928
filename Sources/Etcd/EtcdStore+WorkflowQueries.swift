import FailoverCore
import Foundation

extension EtcdStore: WorkflowQueries {
  /// Workflows of one service (or of all services when nil), newest first, `limit` per page (1...500),
  /// continuing before the `before` cursor (a workflow's seq: its key's create revision). Reads newest first in
  /// pages and filters the service here.
  public func workflows(service: ServiceID? = nil, before: Int64? = nil, limit: Int = 50) async throws
    -> WorkflowPage
  {
    let limit = min(max(limit, 1), 500)
    return try await read("list workflows") {
      var found: [WorkflowRecord] = []
      var maxCreate = before.map { $0 - 1 }
      // Bounded: each page moves the create-revision bound below its oldest workflow.
      for _ in 0..<10_000 {
        let page = try await client.rangeSorted(
          prefix("workflows"), limit: service == nil ? limit + 1 : 200, sortTarget: .create, descending: true,
          maxCreateRevision: maxCreate)
        for kv in page.kvs {
          let record = try Self.workflowRecord(kv)
          if let service, record.plan.plan.service != service { continue }
          found.append(record)
        }
        guard found.count <= limit, page.more, let oldest = page.kvs.last else { break }
        maxCreate = oldest.createRevision - 1
      }
      guard found.count > limit else { return WorkflowPage(workflows: found, nextCursor: nil) }
      found.removeLast(found.count - limit)
      return WorkflowPage(workflows: found, nextCursor: found.last?.seq)
    }
  }

  /// One workflow with its steps; nil for an unknown id.
  public func workflow(id: String) async throws -> WorkflowDetail? {
    try await read("read workflow \(id)") {
      guard let kv = try await client.get(workflowKey(id)) else { return nil }
      return WorkflowDetail(record: try Self.workflowRecord(kv), entries: try await stepEntries(id))
    }
  }

  /// The workflow of a service that has begun and not finished (the oldest, should there be several); nil when
  /// none is in flight.
  public func inFlightWorkflow(service: ServiceID) async throws -> WorkflowDetail? {
    try await read("read the in-flight workflow of \(service)") {
      guard
        let record = try await allWorkflows().first(where: {
          $0.state == .running && $0.plan.plan.service == service
        })
      else { return nil }
      return WorkflowDetail(record: record, entries: try await stepEntries(record.id))
    }
  }
}
