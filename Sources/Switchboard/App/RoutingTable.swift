import FailoverCore
import Synchronization

/// What the routing endpoint publishes for `failover-health-check` services: the routing a workflow's
/// `updateRoutingEndpoint` step set, in memory. The endpoint reads it only while that workflow is in flight;
/// once it ends, the engine's routing (stored, so it survives restarts) says the same.
public final class RoutingTable: RoutingEndpointPublisher {
  private let states = Mutex<[ServiceID: RoutingState]>([:])

  /// An empty table: every service answers from the engine's routing.
  public init() {}

  public func publish(_ state: RoutingState) async throws {
    states.withLock { $0[state.service] = state }
  }

  public func published(service: ServiceID) async throws -> RoutingState? {
    states.withLock { $0[service] }
  }

  /// The published routing of a service, if a workflow published one.
  public func current(service: ServiceID) -> RoutingState? { states.withLock { $0[service] } }
}
