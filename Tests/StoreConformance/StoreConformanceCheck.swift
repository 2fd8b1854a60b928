import Testing

/// One rule every store backend keeps, written against FailoverCore's store ports only.
///
/// A backend's test target runs them all, e.g.
/// `@Test(arguments: StoreConformance.checks) func conforms(_ check: StoreConformanceCheck) async throws`.
public struct StoreConformanceCheck: Sendable, CustomTestStringConvertible {
  /// The rule, as "Given …, when …, then …".
  public let name: String
  private let body: @Sendable (StoreConformanceBackend) async throws -> Void

  init(_ name: String, _ body: @escaping @Sendable (StoreConformanceBackend) async throws -> Void) {
    self.name = name
    self.body = body
  }

  /// Checks the rule against `backend` (failures are recorded as test issues; errors are thrown).
  public func run(on backend: StoreConformanceBackend) async throws { try await body(backend) }

  /// The rule's name, as test reports show it.
  public var testDescription: String { name }
}

/// The store conformance suite: every check, grouped by the port it exercises.
public enum StoreConformance {
  /// All checks, in a stable order.
  public static let checks: [StoreConformanceCheck] =
    JournalConformance.checks + WorkflowQueryConformance.checks + EventLogConformance.checks
    + AuditChainConformance.checks + OverrideConformance.checks + RoutingHistoryConformance.checks
    + IdempotencyConformance.checks + HealthHistoryConformance.checks + DrillConformance.checks
}
