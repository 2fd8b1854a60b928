import FailoverCore
import Foundation

extension EtcdStore: RoutingHistory {
  /// Where a service's traffic goes, as last recorded (nil before its first workflow or bootstrap).
  public func routingState(service: ServiceID) async throws -> RoutingState? {
    try await read("read the routing state of \(service)") {
      try await client.get(key("routing", service.rawValue)).map {
        try Self.decode(EtcdRoutingRow.self, $0).state
      }
    }
  }

  /// Completed transitions of all services at or after an instant, oldest first.
  public func transitions(since: Date) async throws -> [Transition] {
    let millis = Self.millis(since)
    return try await read("list transitions") {
      try await client.rangeSorted(prefix("transitions"), sortTarget: .create).kvs
        .map { try Self.decode(EtcdTransitionRow.self, $0) }
        .filter { $0.at >= millis }.map(\.transition)
    }
  }

  /// The last `limit` transitions of one service, newest first.
  public func transitions(service: ServiceID, limit: Int = 50) async throws -> [Transition] {
    try await read("list transitions of \(service)") {
      try await client.rangeSorted(
        prefix("transitions", service.rawValue), limit: min(max(limit, 1), 1000), sortTarget: .create,
        descending: true
      ).kvs.map { try Self.decode(EtcdTransitionRow.self, $0).transition }
    }
  }

  /// Every service's recorded routing state, by service name.
  public func routingStates() async throws -> [RoutingState] {
    try await read("read routing states") {
      try await client.range(prefix("routing"), prefix: true).kvs
        .map { try Self.decode(EtcdRoutingRow.self, $0).state }
        .sorted { $0.service.rawValue < $1.service.rawValue }
    }
  }

  /// Records where a service's traffic goes without a workflow (bootstrap), with its events, in one fenced
  /// transaction. No transition is recorded.
  public func recordRoutingState(_ state: RoutingState, at: Date, events: [Event] = []) async throws {
    let put = routingPut(state, at: at, workflowID: nil)
    _ = try await write("record the routing state of \(state.service)", fenced: true) {
      .write(EtcdWritePlan(ops: [put], events: events), ())
    }
  }
}
