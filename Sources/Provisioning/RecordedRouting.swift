import FailoverCore
import Foundation

/// Where a service's traffic goes as the store recorded it, and why: the desired state of its records for plan
/// and bootstrap, so neither proposes undoing a failover.
public struct RecordedRouting: Sendable, Hashable {
  /// The routing state last recorded (by a finished workflow, or at first start).
  public var state: RoutingState
  /// When the last transition of the service completed; nil when none was recorded.
  public var since: Date?
  /// Why it moved: the trigger of the last transition.
  public var trigger: TransitionTrigger?
  /// The decision's reason of the workflow that moved it, when the journal has it.
  public var reason: String?

  /// A recorded routing state with what explains it.
  public init(
    state: RoutingState, since: Date? = nil, trigger: TransitionTrigger? = nil, reason: String? = nil
  ) {
    self.state = state
    self.since = since
    self.trigger = trigger
    self.reason = reason
  }

  /// The recorded routing of every configured service the store knows (nil store: nothing was ever recorded).
  public static func load(
    from store: (any RoutingHistory & WorkflowQueries)?, services: [Service]
  ) async throws -> [ServiceID: RecordedRouting] {
    guard let store else { return [:] }
    var result: [ServiceID: RecordedRouting] = [:]
    for service in services {
      guard let state = try await store.routingState(service: service.id) else { continue }
      var recorded = RecordedRouting(state: state)
      if let last = try await store.transitions(service: service.id, limit: 1).first {
        recorded.since = last.at
        recorded.trigger = last.trigger
      }
      let moved = try await store.workflows(service: service.id, before: nil, limit: 20).workflows.first {
        $0.outcome == .succeeded && $0.plan.plan.to == state
      }
      recorded.reason = moved?.plan.plan.reason
      result[service.id] = recorded
    }
    return result
  }

  /// Whether the recorded state sends traffic elsewhere than the configuration alone would.
  public func differsFromConfiguration(_ service: Service) -> Bool {
    Self.significant(state) != Self.significant(DesiredStateBuilder.configuredRouting(service))
  }

  /// One line for `plan`: `api.example.com: traffic in us-west-2 since 2026-11-30T13:40:00Z (failover: <reason>);
  /// plan and bootstrap keep it there.`
  public func sentence(for service: Service) -> String {
    let regions = state.receivingRegions.map(\.rawValue)
    var text =
      "\(service.dnsName): traffic in " + (regions.isEmpty ? "no region" : regions.joined(separator: ", "))
    if service.routingMode == .weighted { text += " (weights \(state.summary))" }
    if let since { text += " since \(since.formatted(.iso8601))" }
    let why = [trigger.map { $0 == .automatic ? "failover" : $0.rawValue }, reason].compactMap { $0 }
    if !why.isEmpty { text += " (" + why.joined(separator: ": ") + ")" }
    return text + "; plan and bootstrap keep it there."
  }

  private static func significant(_ state: RoutingState) -> [RegionID: Int] {
    state.weights.filter { $0.value > 0 }
  }
}
