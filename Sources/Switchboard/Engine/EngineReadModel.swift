import FailoverCore
import Foundation

/// What the API reads of the engine, as pure functions of the engine's state: the snapshot (every service's health,
/// signals, routing, decision, workflows and overrides) and what-if dry runs of the decider. Nothing here changes
/// anything or records anything.
enum EngineReadModel {
  /// The current picture: every configured service, in configured order, and the overrides in force; without
  /// `signals`, regions carry their composite health only (the status documents need no more).
  static func snapshot(
    _ state: EngineState, workflows: WorkflowSupervisor, at now: Date, signals: Bool = true
  ) -> EngineSnapshot {
    let services = state.config.services.map {
      service($0, state, workflows: workflows, at: now, signals: signals)
    }
    return EngineSnapshot(at: now, services: services, overrides: state.book.active(at: now))
  }

  /// One service's picture.
  static func service(
    _ service: Service, _ state: EngineState, workflows: WorkflowSupervisor, at now: Date,
    signals: Bool = true
  ) -> ServiceSnapshot {
    let routing = state.routing(of: service)
    return ServiceSnapshot(
      id: service.id, routingMode: service.routingMode, routing: routing, activeRegion: routing.activeRegion,
      regions: regions(of: service, state, signals: signals), lastDecision: state.lastDecision[service.id],
      workflow: workflows.inFlight[service.id], lastWorkflow: workflows.lastWorkflow[service.id],
      overrides: state.book.applicable(to: service, at: now))
  }

  /// A service's health per region with the signals that make it.
  static func regions(of service: Service, _ state: EngineState, signals withSignals: Bool = true)
    -> [RegionSnapshot]
  {
    let model = withSignals ? state.models[service.id] : nil
    let health = state.latestHealth[service.id] ?? [:]
    return service.regionIDs.map { region -> RegionSnapshot in
      let signals = (model?.signalKeys(service: service.id, region: region) ?? []).compactMap {
        key -> SignalSnapshot? in
        guard let tracker = model?.trackers[key] else { return nil }
        return SignalSnapshot(
          key: key, verdict: tracker.health, lastObservation: tracker.lastObservation,
          consecutiveFailures: tracker.consecutiveFailures, consecutiveSuccesses: tracker.consecutiveSuccesses
        )
      }
      return RegionSnapshot(
        region: region, health: health[region] ?? .unknown("No tick has evaluated \(region) yet."),
        signals: signals, views: state.latestViews[service.id]?[region])
    }
  }

  /// What the decider says now, without acting: automation's decision (`manual` nil) or a manual request's.
  /// Nil for an unknown service. Uses the health as of the last tick.
  static func dryRun(
    _ state: EngineState, service id: ServiceID, manual: ManualRequest?, at now: Date
  ) -> Decision? {
    guard let service = state.config.service(id) else { return nil }
    let input = state.decisionInput(service, health: state.latestHealth[id] ?? [:], at: now)
    guard let manual else { return Decider.decide(input) }
    return Decider.manualRequest(manual, input)
  }
}
