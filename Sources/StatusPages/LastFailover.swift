import FailoverCore
import Foundation
import Switchboard

/// The most recent finished workflow, as the status document shows it: what moved, why, and how long each
/// stage took.
public struct LastFailover: Sendable, Hashable, Encodable {
  /// The workflow id (`GET /api/v1/workflows/{id}` has its steps).
  public var workflowID: String
  /// The service moved.
  public var service: String
  /// `automatic`, `forced`, `drain`, `failback` or `manual`.
  public var trigger: String
  /// Who asked (`switchboard` for automatic moves). The reason is left out: automatic reasons name probe URLs,
  /// and this document may be public (`GET /api/v1/workflows/{id}` has it, for viewers).
  public var actor: String
  /// Regions receiving traffic before, sorted.
  public var fromRegions: [String]
  /// Regions receiving traffic after (when it succeeded), sorted.
  public var toRegions: [String]
  /// `succeeded` or `failed`.
  public var state: String
  /// The first unhealthy observation that led to it, when health did.
  @Nullable public var firstUnhealthyAt: Date?
  /// When it was decided.
  public var decidedAt: Date
  /// When it ended.
  @Nullable public var finishedAt: Date?
  /// Seconds from the first unhealthy observation (or the decision) to each measured instant: `decided`,
  /// `dns_change_accepted`, `in_sync`, `verified`, `finished` (those reached).
  public var timings: [String: Double]

  /// A workflow's facts as the engine or the journal holds them.
  public init(
    workflowID: String, plan: FailoverPlan, succeeded: Bool, decidedAt: Date, finishedAt: Date?,
    timings: [String: Double]
  ) {
    self.workflowID = workflowID
    service = plan.service.rawValue
    trigger = plan.trigger.rawValue
    actor = plan.actor
    fromRegions = plan.from.receivingRegions.map(\.rawValue)
    toRegions = plan.to.receivingRegions.map(\.rawValue)
    state = succeeded ? "succeeded" : "failed"
    firstUnhealthyAt = plan.firstUnhealthyAt
    self.decidedAt = decidedAt
    self.finishedAt = finishedAt
    self.timings = timings
  }

  /// The journal's record of a finished workflow; nil while it runs.
  public init?(_ record: WorkflowRecord) {
    guard record.state != .running else { return nil }
    self.init(
      workflowID: record.id, plan: record.plan.plan, succeeded: record.state == .succeeded,
      decidedAt: record.plan.decidedAt, finishedAt: record.finishedAt,
      timings: record.timings?.secondsSinceStart ?? [:])
  }

  /// The newest finished workflow in the journal (looking back at most 50 workflows).
  public static func latest(in store: any WorkflowQueries) async throws -> LastFailover? {
    let page = try await store.workflows(service: nil, before: nil, limit: 50)
    return page.workflows.lazy.compactMap(LastFailover.init).first
  }

  enum CodingKeys: String, CodingKey {
    case workflowID = "workflowId"
    case service, trigger, actor, fromRegions, toRegions, state, firstUnhealthyAt, decidedAt,
      finishedAt, timings
  }
}
