import Foundation

/// What a runbook step learned or decided, typed by kind; journaled inside `StepOutcome.runbook`.
public enum RunbookOutcome: Sendable, Hashable, Codable {
  /// The step did not run (a drill, an automatic failover and a manual-only approval), with the reason.
  case skipped(reason: String)
  /// `ecs_scale`: the count before and the count set (journaled before the change, so a restart keeps both).
  case capacity(CapacityChange)
  /// `http_hook`: the answer, its body bounded.
  case hook(HookResponse)
  /// `approval`: the question is waiting for an operator until the deadline.
  case awaitingApproval(message: String, deadline: Date)
  /// `approval`: how it was decided.
  case approval(ApprovalVerdict)
  /// `database_promote`: the replica is a standalone primary now.
  case promoted(DatabasePromotion)
  /// `wait`: the pause is over.
  case waited(seconds: Double)
  /// A step with `on_failure: continue` failed; the workflow went on.
  case failedAndContinued(reason: String)
}

/// An ECS service's desired count before and after an `ecs_scale` step.
public struct CapacityChange: Sendable, Hashable, Codable {
  /// The region whose service was scaled.
  public var region: RegionID
  /// The ECS cluster.
  public var cluster: String
  /// The ECS service.
  public var service: String
  /// The desired count found before the step changed anything.
  public var before: Int
  /// The desired count the step set (or found already set).
  public var target: Int
  /// Whether this returned the count to an earlier value (after a failback).
  public var restore: Bool
  /// The running count seen at steady state, once reached.
  public var running: Int?

  public init(
    region: RegionID, cluster: String, service: String, before: Int, target: Int, restore: Bool = false,
    running: Int? = nil
  ) {
    self.region = region
    self.cluster = cluster
    self.service = service
    self.before = before
    self.target = target
    self.restore = restore
    self.running = running
  }
}

/// A hook's answer as kept in the journal.
public struct HookResponse: Sendable, Hashable, Codable {
  /// The HTTP status.
  public var status: Int
  /// The first bytes of the body (at most `HookResponse.bodyLimit`), as text.
  public var body: String
  /// The idempotency key sent (the same on every attempt of the step).
  public var idempotencyKey: String

  /// The most body bytes the journal keeps.
  public static let bodyLimit = 4096

  public init(status: Int, body: String, idempotencyKey: String) {
    self.status = status
    self.body = body
    self.idempotencyKey = idempotencyKey
  }
}

/// An operator's (or the timeout's) decision on an approval step.
public struct ApprovalVerdict: Sendable, Hashable, Codable {
  /// Approve or reject.
  public enum Decision: String, Sendable, Hashable, Codable, CaseIterable {
    case approve, reject
  }
  /// What was decided.
  public var decision: Decision
  /// Who decided (`switchboard` for a timeout).
  public var actor: String
  /// Why, in their words.
  public var reason: String
  /// Whether the timeout decided.
  public var timedOut: Bool
  /// When.
  public var at: Date

  public init(decision: Decision, actor: String, reason: String, timedOut: Bool = false, at: Date) {
    self.decision = decision
    self.actor = actor
    self.reason = reason
    self.timedOut = timedOut
    self.at = at
  }
}

/// A database promotion as journaled.
public struct DatabasePromotion: Sendable, Hashable, Codable {
  /// The region of the replica.
  public var region: RegionID
  /// The instance or cluster identifier.
  public var identifier: String
  /// Whether the promote call was made by this step (false: it was already a standalone primary).
  public var promotedNow: Bool
  /// Its status when the step finished.
  public var status: String

  public init(region: RegionID, identifier: String, promotedNow: Bool, status: String) {
    self.region = region
    self.identifier = identifier
    self.promotedNow = promotedNow
    self.status = status
  }
}
