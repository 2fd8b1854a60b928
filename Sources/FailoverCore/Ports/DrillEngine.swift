/// What drills need from the control loop: the situation of a service, and moving it through the same journaled
/// workflow as a real failover. The engine implements it.
public protocol DrillEngine: Sendable {
  /// The service's routing, the target's health, freezes and workflows in flight, as of the last tick.
  func drillSituation(service: ServiceID, target: RegionID) async -> DrillSituation?
  /// Every configured service with its current routing.
  func drillServices() async -> (services: [Service], routing: [ServiceID: RoutingState])
  /// Starts the journaled workflow moving `service` to `region`; returns its id, or throws the refusal (a
  /// `DrillError` with the decider's explanation). `failback` sets aside the minimum dwell time, which would
  /// otherwise hold traffic in the target after a short hold.
  func drillMove(service: ServiceID, to region: RegionID, actor: String, reason: String, failback: Bool)
    async throws -> String
}
