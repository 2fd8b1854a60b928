import Foundation

/// One idempotent step of a failover workflow.
public enum WorkflowStep: Sendable, Hashable {
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
  /// A configured runbook step (ECS scale, hook, approval, database promotion, wait).
  case runbook(RunbookStepReference)

  /// Whether a failure of this step is recorded and passed over instead of failing the workflow.
  public var isBestEffort: Bool {
    switch self {
    case .notifyInitiated, .publishMetrics, .notifySucceeded: true
    default: false
    }
  }

  /// The built-in steps for a routing mode, in order (no runbook steps).
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

extension WorkflowStep: RawRepresentable, Codable {
  private static let builtIn: [String: WorkflowStep] = [
    "checkTargetHealth": .checkTargetHealth, "notifyInitiated": .notifyInitiated, "changeDNS": .changeDNS,
    "waitForSync": .waitForSync, "verifyRecord": .verifyRecord,
    "updateRoutingEndpoint": .updateRoutingEndpoint,
    "publishMetrics": .publishMetrics, "notifySucceeded": .notifySucceeded, "revertDNS": .revertDNS,
  ]

  /// The journal's name: the case name for built-in steps, `runbook:<stage>:<name>` for runbook steps.
  public var rawValue: String {
    switch self {
    case .checkTargetHealth: "checkTargetHealth"
    case .notifyInitiated: "notifyInitiated"
    case .changeDNS: "changeDNS"
    case .waitForSync: "waitForSync"
    case .verifyRecord: "verifyRecord"
    case .updateRoutingEndpoint: "updateRoutingEndpoint"
    case .publishMetrics: "publishMetrics"
    case .notifySucceeded: "notifySucceeded"
    case .revertDNS: "revertDNS"
    case .runbook(let reference): reference.rawValue
    }
  }

  public init?(rawValue: String) {
    if let step = Self.builtIn[rawValue] {
      self = step
    } else if let reference = RunbookStepReference(rawValue: rawValue) {
      self = .runbook(reference)
    } else {
      return nil
    }
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let step = WorkflowStep(rawValue: text) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath, debugDescription: "unknown workflow step \(text)"))
    }
    self = step
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  /// The runbook step this is, when it is one.
  public var runbookReference: RunbookStepReference? {
    if case .runbook(let reference) = self { return reference }
    return nil
  }

  /// Whether a stage's runbook steps belong in a workflow carrying out `plan`: before and after traffic always,
  /// after failback only when traffic returns to the primary from elsewhere.
  public static func runs(_ stage: RunbookStage, plan: FailoverPlan, service: Service) -> Bool {
    switch stage {
    case .beforeTraffic, .afterTraffic: return true
    case .afterFailback:
      guard let primary = service.primary else { return false }
      return plan.to.receivingRegions.contains(primary) && !plan.from.receivingRegions.contains(primary)
    }
  }

  /// The steps of a workflow carrying out `plan`: the built-in steps of the routing mode with the service's
  /// runbook around the traffic change (before it; after the verification; after a failback).
  public static func steps(for plan: FailoverPlan, service: Service) -> [WorkflowStep] {
    let builtIn = steps(for: service.routingMode)
    let runbook = service.runbook ?? Runbook()
    func stage(_ stage: RunbookStage) -> [WorkflowStep] {
      guard runs(stage, plan: plan, service: service) else { return [] }
      return runbook.steps(stage).map { .runbook(RunbookStepReference(stage: stage, name: $0.name)) }
    }
    let trafficStep: WorkflowStep =
      service.routingMode == .failoverHealthCheck ? .updateRoutingEndpoint : .changeDNS
    let lastTrafficStep: WorkflowStep =
      service.routingMode == .failoverHealthCheck ? .updateRoutingEndpoint : .verifyRecord
    var result: [WorkflowStep] = []
    for step in builtIn {
      if step == trafficStep { result += stage(.beforeTraffic) }
      result.append(step)
      if step == lastTrafficStep { result += stage(.afterTraffic) + stage(.afterFailback) }
    }
    return result
  }
}
