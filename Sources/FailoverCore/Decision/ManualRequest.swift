import Foundation

/// An operator's request to move a service to a region now (manual failover or failback).
public struct ManualRequest: Sendable, Hashable, Codable {
  /// The service to move.
  public var service: ServiceID
  /// The region that should receive all traffic.
  public var targetRegion: RegionID
  /// Who asks.
  public var actor: String
  /// Why, mandatory.
  public var reason: String
  /// Safety rules the operator deliberately sets aside (break-glass); every use is in the explanation.
  public var overriding: Set<SafetyRule>
  public init(
    service: ServiceID, targetRegion: RegionID, actor: String, reason: String,
    overriding: Set<SafetyRule> = []
  ) {
    self.service = service
    self.targetRegion = targetRegion
    self.actor = actor
    self.reason = reason
    self.overriding = overriding
  }
}

extension Decider {
  /// Decides on an operator's manual request. Freezes, blocks and the brake do not apply to people; the health of
  /// the target and the dwell time do, unless the request overrides those rules by name.
  public static func manualRequest(_ request: ManualRequest, _ input: DecisionInput) -> Decision {
    let service = input.service
    guard let placement = service.region(request.targetRegion) else {
      return Decision(
        service: service.id, at: input.now,
        outcome: .rejected("\(request.targetRegion) is not a region of \(service.id)."),
        explanation:
          "\(request.actor) asked to route \(service.id) to \(request.targetRegion), which is not one of its "
          + "regions (\(service.regionIDs.map(\.rawValue).joined(separator: ", "))). Nothing changes.")
    }
    guard !request.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      return Decision(
        service: service.id, at: input.now, outcome: .rejected("A manual request needs a reason."),
        explanation:
          "\(request.actor) asked to move \(service.id) without a reason; every manual action needs one.")
    }
    let desired = allTraffic(to: placement, input)
    if sameRouting(input.routing, desired) {
      return noAction(
        .alreadyInPlace, input, "\(service.id) already sends all its traffic to \(request.targetRegion).")
    }
    let target = request.targetRegion
    let isFailback = target == service.primary
    let plan = FailoverPlan(
      service: service.id, from: input.routing, to: desired, trigger: .manual, actor: request.actor,
      reason:
        "\(request.actor) asked for a manual \(isFailback ? "failback" : "failover"): \(request.reason)",
      allowsUnhealthyTarget: request.overriding.contains(.neverRouteToUnhealthyTarget))
    let health = input.health(of: target)
    var setAside: [String] = []
    /// A broken `rule` blocks the request unless the request overrides it by name, which is then recorded.
    func breaks(_ rule: SafetyRule, _ explanation: String) -> Decision? {
      guard request.overriding.contains(rule) else { return blocked(.rule(rule), plan, input, explanation) }
      setAside.append(rule.rawValue)
      return nil
    }
    if !health.status.canReceiveTraffic,
      let block = breaks(
        .neverRouteToUnhealthyTarget,
        "\(request.actor) asked to route \(service.id) to \(target), which is \(health.status.rawValue) "
          + "(\(health.reason)). \(SafetyRule.neverRouteToUnhealthyTarget.sentence) Retry once \(target) is "
          + "healthy, or override neverRouteToUnhealthyTarget deliberately.")
    {
      return block
    }
    if let last = input.history.filter({ $0.service == service.id }).max(by: { $0.at < $1.at }) {
      let elapsed = input.now.timeIntervalSince(last.at)
      if elapsed < input.policy.minimumDwell,
        let block = breaks(
          .minimumDwell,
          "\(request.actor) asked to route \(service.id) to \(target), but it last moved \(Int(elapsed)) s ago, "
            + "within the minimum dwell time of \(Int(input.policy.minimumDwell)) s. "
            + "\(SafetyRule.minimumDwell.sentence) Retry later, or override minimumDwell deliberately.")
      {
        return block
      }
    }
    let brokenGlass =
      setAside.isEmpty ? "" : " Rules set aside by the operator: \(setAside.joined(separator: ", "))."
    return initiate(
      plan, input,
      "\(request.actor) asked to route \(service.id) to \(target) (\(health.status.rawValue)): \(request.reason). "
        + "Manual requests are not subject to freezes, blocks or the brake.\(brokenGlass)")
  }
}
