/// Verification of the audit log's hash chain (`switchboard audit verify`, `GET /api/v1/events/verify`).
public protocol AuditChain: Sendable {
  /// Walks the whole log in order and checks every link; reports the first broken one, or the count and head
  /// hash when everything holds.
  func verifyChain() async throws -> ChainVerification
}
