import FailoverCore
import Foundation

/// What drills see of the engine and how they move traffic: through `requestManualMove`, the same decision and
/// journaled workflow as an operator's failover (failback sets aside the minimum dwell, which a short hold would
/// otherwise break), marked as a drill so runbook steps with `in_drills: skip` are skipped and say so.
extension Engine: DrillEngine {
  /// The service's routing, the target's health, a freeze, the workflow in flight and the decider's verdict.
  public func drillSituation(service id: ServiceID, target: RegionID) -> DrillSituation? {
    guard let service = configuration().service(id), let seen = snapshot().service(id) else { return nil }
    let health = seen.regions.first { $0.region == target }?.health
    let preview = dryRun(
      service: id,
      manual: ManualRequest(service: id, targetRegion: target, actor: "drill", reason: "drill check"))
    return DrillSituation(
      service: id, primary: service.primary, activeRegion: seen.activeRegion,
      targetHealth: health?.status ?? .unknown, targetHealthReason: health?.reason ?? "",
      freeze: seen.overrides.first { $0.kind == .freeze }.map { "\($0.id) by \($0.actor): \($0.reason)" },
      workflowInFlight: seen.workflow?.id, verdict: preview?.explanation ?? "")
  }

  /// Every configured service with where its traffic goes now.
  public func drillServices() -> (services: [Service], routing: [ServiceID: RoutingState]) {
    let routing = Dictionary(snapshot().services.map { ($0.id, $0.routing) }, uniquingKeysWith: { a, _ in a })
    return (configuration().services, routing)
  }

  /// Starts the workflow moving `service` to `region`; throws the decider's refusal as a `DrillError`.
  public func drillMove(
    service: ServiceID, to region: RegionID, actor: String, reason: String, failback: Bool
  )
    async throws -> String
  {
    let request = ManualRequest(
      service: service, targetRegion: region, actor: actor, reason: reason,
      overriding: failback ? [.minimumDwell] : [])
    let started: (decision: Decision, workflowID: String?)
    do {
      started = try await requestManualMove(request, runbookOptions: RunbookRunOptions(drill: true))
    } catch {
      throw DrillError(error.message)
    }
    guard let id = started.workflowID else { throw DrillError(started.decision.explanation) }
    return id
  }
}
