import Foundation

/// One idempotent step of a failover workflow.
public enum WorkflowStep: String, Sendable, Hashable, Codable, CaseIterable {
  /// Re-check that every region that will receive traffic is healthy (unless a person allowed otherwise).
  case checkTargetHealth
  /// Tell on-call humans the failover started (never fails the workflow).
  case notifyInitiated
  /// UPSERT the record(s) to the target, after reading them: a record already at the target is not resubmitted.
  case changeDNS
  /// Poll the change until Route53 reports it INSYNC.
  case waitForSync
  /// Read the record(s) back and check they point at the target.
  case verifyRecord
  /// `failover-health-check` mode: make the routing endpoint answer 200 for the target (no DNS call).
  case updateRoutingEndpoint
  /// Publish the failover's metrics (never fails the workflow).
  case publishMetrics
  /// Tell on-call humans the failover succeeded (never fails the workflow).
  case notifySucceeded
  /// Compensation, not part of a plan: when a step fails after Route53 accepted the change, UPSERT the records
  /// back to where they were (after reading them), so the service stays where it was.
  case revertDNS

  /// Whether a failure of this step is recorded and passed over instead of failing the workflow.
  public var isBestEffort: Bool {
    switch self {
    case .notifyInitiated, .publishMetrics, .notifySucceeded: true
    default: false
    }
  }

  /// The steps for a routing mode, in order.
  public static func steps(for mode: RoutingMode) -> [WorkflowStep] {
    switch mode {
    case .record, .weighted:
      [
        .checkTargetHealth, .notifyInitiated, .changeDNS, .waitForSync, .verifyRecord, .publishMetrics,
        .notifySucceeded,
      ]
    case .failoverHealthCheck:
      [.checkTargetHealth, .notifyInitiated, .updateRoutingEndpoint, .publishMetrics, .notifySucceeded]
    }
  }
}
