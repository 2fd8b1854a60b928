import Foundation

/// The engine's current composite health, read by a workflow's "check target health" step.
public protocol TargetHealthSource: Sendable {
  func health(service: ServiceID, region: RegionID) async throws -> Health
}

/// What Switchboard's routing endpoint (`/routing/{service}/{region}`) answers, for `failover-health-check` mode.
public protocol RoutingEndpointPublisher: Sendable {
  /// Makes the endpoint answer 200 for regions with weight > 0 and 503 for the others; idempotent.
  func publish(_ state: RoutingState) async throws
  /// What the endpoint answers now for a service, if anything was published.
  func published(service: ServiceID) async throws -> RoutingState?
}
