/// The workflow journal's read side for the API and the status documents: pages, one workflow, the one in
/// flight.
public protocol WorkflowQueries: Sendable {
  /// Workflows of one service (or of all services when nil), newest first, `limit` per page (clamped to
  /// 1...500), continuing before the `before` cursor (a `WorkflowPage.nextCursor`).
  func workflows(service: ServiceID?, before: Int64?, limit: Int) async throws -> WorkflowPage
  /// One workflow with its steps; nil for an unknown id.
  func workflow(id: String) async throws -> WorkflowDetail?
  /// The workflow of a service that has begun and not finished (the oldest, should there be several); nil when
  /// none is in flight.
  func inFlightWorkflow(service: ServiceID) async throws -> WorkflowDetail?
}
