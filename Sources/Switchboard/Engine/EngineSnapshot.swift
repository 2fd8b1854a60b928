import FailoverCore
import Foundation

/// A read-only picture of the engine for the API: every service with its health per region (and every
/// signal's latest observation), routing, last decision, workflow in flight, and the overrides in force.
public struct EngineSnapshot: Sendable, Hashable, Codable {
  /// When the picture was taken.
  public var at: Date
  /// Every configured service, in configured order.
  public var services: [ServiceSnapshot]
  /// Overrides in force.
  public var overrides: [Override]

  /// One service by id.
  public func service(_ id: ServiceID) -> ServiceSnapshot? { services.first { $0.id == id } }
}

/// One service as the engine sees it.
public struct ServiceSnapshot: Sendable, Hashable, Codable {
  /// The service.
  public var id: ServiceID
  /// How its traffic moves.
  public var routingMode: RoutingMode
  /// Where its traffic goes now.
  public var routing: RoutingState
  /// The region receiving all traffic, when one does.
  public var activeRegion: RegionID?
  /// Health per region, in configured order.
  public var regions: [RegionSnapshot]
  /// The most recent decision taken for it (nil before the first tick).
  public var lastDecision: Decision?
  /// The workflow in flight, if any.
  public var workflow: WorkflowStatus?
  /// The most recent finished workflow, if any.
  public var lastWorkflow: WorkflowStatus?
  /// Overrides in force that cover it, newest first.
  public var overrides: [Override]
}

/// A service's health in one region, with the signals that make it.
public struct RegionSnapshot: Sendable, Hashable, Codable {
  /// The region.
  public var region: RegionID
  /// The composite verdict.
  public var health: Health
  /// Every signal counted (the service's own, then the region's).
  public var signals: [SignalSnapshot]
  /// In a cluster, every live node's view behind `health` and the quorum; nil on a single node.
  public var views: QuorumHealth? = nil
}

/// One signal's verdict and latest observation.
public struct SignalSnapshot: Sendable, Hashable, Codable {
  /// The signal.
  public var key: SignalKey
  /// Its verdict after hysteresis.
  public var verdict: Health
  /// The latest observation, if any.
  public var lastObservation: Observation?
  /// Failures in a row.
  public var consecutiveFailures: Int
  /// Successes in a row.
  public var consecutiveSuccesses: Int
}

/// A workflow as the engine tracks it.
public struct WorkflowStatus: Sendable, Hashable, Codable {
  /// Where it stands.
  public enum State: Sendable, Hashable, Codable {
    case running
    case succeeded
    case failed(reason: String)
    /// The journal could not be written; the engine retries from the journal.
    case interrupted(reason: String)
  }
  /// The workflow id (also the journal's).
  public var id: String
  /// The move it carries out.
  public var plan: FailoverPlan
  /// When the engine started (or resumed) it.
  public var startedAt: Date
  /// Where it stands.
  public var state: State
  /// When it ended.
  public var finishedAt: Date?
  /// Seconds from the first unhealthy observation (or the decision) to each measured instant.
  public var timings: [String: Double]
  /// How each runbook step went, once it has ended.
  public var runbook: [RunbookStepSummary] = []
}
