import Foundation

/// Durable routing state and transition history: what the decider needs, and what bootstrap and the API record
/// and read.
public protocol RoutingHistory: Sendable {
  /// Where a service's traffic goes, as last recorded (nil before the first workflow or bootstrap).
  func routingState(service: ServiceID) async throws -> RoutingState?
  /// Completed transitions of all services at or after an instant.
  func transitions(since: Date) async throws -> [Transition]
  /// The last `limit` transitions of one service, newest first.
  func transitions(service: ServiceID, limit: Int) async throws -> [Transition]
  /// Every service's recorded routing state.
  func routingStates() async throws -> [RoutingState]
  /// Records where a service's traffic goes without a workflow (bootstrap: what DNS says at first start), with
  /// its events, in one transaction. No transition is recorded.
  func recordRoutingState(_ state: RoutingState, at: Date, events: [Event]) async throws
}
