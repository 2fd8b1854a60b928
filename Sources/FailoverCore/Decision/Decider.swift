import Foundation

/// The failover decision, as a pure function. It reads top-down like the seed's Step Functions diagram:
/// CheckHealth → (human instructions: force, drain) → EvaluateFailover → Initiate / Block / NoAction.
public enum Decider {
  /// Decides what to do for one service now.
  public static func decide(_ input: DecisionInput) -> Decision {
    if let error = checkHealth(input) { return error }
    if let forced = applyForce(input) { return forced }
    if let drained = applyDrain(input) { return drained }
    return evaluateFailover(input)
  }

  // MARK: CheckHealth

  /// HandleHealthCheckFailure: without a health verdict for every region, no decision is taken.
  static func checkHealth(_ input: DecisionInput) -> Decision? {
    let missing = input.service.regionIDs.filter { input.health[$0] == nil }
    guard !missing.isEmpty else { return nil }
    let names = missing.map(\.rawValue).joined(separator: ", ")
    return Decision(
      service: input.service.id, at: input.now,
      outcome: .healthCheckError("No health verdict for \(names)."),
      explanation:
        "The health check of \(input.service.id) produced no verdict for \(names), so no decision was taken and "
        + "traffic stays as it is (\(input.routing.summary)). Once every region reports health again, the "
        + "decider evaluates failover normally.")
  }

  // MARK: Human instructions

  /// A `force` override routes the service to its region, bypassing dwell, the brake and freezes.
  static func applyForce(_ input: DecisionInput) -> Decision? {
    guard let force = input.applicableOverrides.first(where: { $0.kind == .force && $0.targetRegion != nil }),
      let target = force.targetRegion, let placement = input.service.region(target)
    else { return nil }
    let desired = allTraffic(to: placement, input)
    let targetHealth = input.health(of: target)
    if sameRouting(input.routing, desired) {
      return noAction(
        .alreadyInPlace, input,
        "\(input.service.id) is already routed to \(target) as \(force.summary) asks. Nothing changes until the "
          + "override expires at \(Event.timestamp(force.expiresAt)) or is cleared.")
    }
    let plan = FailoverPlan(
      service: input.service.id, from: input.routing, to: desired, trigger: .forced, actor: force.actor,
      reason: "\(force.summary) routes it to \(target).", overrideID: force.id,
      allowsUnhealthyTarget: force.allowUnhealthyTarget)
    if !targetHealth.status.canReceiveTraffic && !force.allowUnhealthyTarget {
      return blocked(
        .rule(.neverRouteToUnhealthyTarget), plan, input,
        "\(force.summary) asks to route \(input.service.id) to \(target), but \(target) is "
          + "\(targetHealth.status.rawValue): \(targetHealth.reason) \(SafetyRule.neverRouteToUnhealthyTarget.sentence) "
          + "The move happens once \(target) is healthy, or if the override is recreated with allow_unhealthy_target."
      )
    }
    return initiate(
      plan, input,
      "\(force.summary) routes \(input.service.id) to \(target) (health \(targetHealth.status.rawValue)"
        + "\(force.allowUnhealthyTarget && !targetHealth.status.canReceiveTraffic ? ", allowed by allow_unhealthy_target" : "")). "
        + "A force bypasses the dwell time, the brake and freezes; clearing the override returns control to the "
        + "automatic rules.")
  }

  /// A `drain` moves traffic away from a region to the best healthy other region.
  static func applyDrain(_ input: DecisionInput) -> Decision? {
    let drained = input.drainedRegions
    let affected = input.routing.receivingRegions.filter { drained.contains($0) }
    guard let region = affected.first,
      let drain = input.applicableOverrides.first(where: { $0.drainedRegion == region })
    else { return nil }
    guard let desired = routingAvoiding(drained.union(unhealthyRegions(input)), input) else {
      let plan: FailoverPlan? = nil
      return blocked(
        .rule(.neverRouteToUnhealthyTarget), plan, input,
        "\(drain.summary) asks to move \(input.service.id) away from \(region), but no other region is healthy "
          + "(\(healthSummary(input))). \(SafetyRule.neverRouteToUnhealthyTarget.sentence) "
          + "\(SafetyRule.atLeastOneRegionReceivesTraffic.sentence) The drain happens once another region is healthy."
      )
    }
    let plan = FailoverPlan(
      service: input.service.id, from: input.routing, to: desired, trigger: .drain, actor: drain.actor,
      reason: "\(drain.summary) drains \(region).", overrideID: drain.id)
    return initiate(
      plan, input,
      "\(drain.summary) drains \(region), so \(input.service.id) moves from \(input.routing.summary) to "
        + "\(desired.summary), the healthy alternative in configured order. A drain bypasses the dwell time and the "
        + "brake; clearing it makes \(region) eligible again under the failback policy.")
  }

  // MARK: EvaluateFailover

  static func evaluateFailover(_ input: DecisionInput) -> Decision {
    switch input.service.routingMode {
    case .record, .failoverHealthCheck: evaluateSingleActive(input)
    case .weighted: evaluateWeighted(input)
    }
  }

  /// One active region (record and failover-health-check modes).
  static func evaluateSingleActive(_ input: DecisionInput) -> Decision {
    let service = input.service
    guard let active = input.routing.receivingRegions.first(where: { service.regionIDs.contains($0) }) else {
      return restoreTraffic(input)
    }
    let health = input.health(of: active)
    switch health.status {
    case .unhealthy:
      return failAway(from: [active], health: health, input)
    case .unknown:
      return noAction(
        .activeRegionUnknown, input,
        "\(service.id) is routed to \(active), whose health is unknown (\(health.reason)). An unknown verdict is no "
          + "reason to move traffic; the decider acts once \(active) is reported unhealthy.")
    case .healthy, .degraded:
      if let primary = service.primary, primary != active {
        return considerFailback(to: [primary], input)
      }
      let degradedNote =
        health.status == .degraded ? " It is degraded, which does not move traffic on its own." : ""
      return noAction(
        .healthy, input,
        "\(service.id) is routed to \(active), which is \(health.status.rawValue) (\(health.reason)).\(degradedNote) "
          + "Traffic would move if \(active) became unhealthy.")
    }
  }

  /// Weighted mode: unhealthy regions go to weight 0, recovered ones come back under the failback policy.
  static func evaluateWeighted(_ input: DecisionInput) -> Decision {
    let receiving = input.routing.receivingRegions.filter { input.service.regionIDs.contains($0) }
    let failing = receiving.filter { input.health(of: $0).status == .unhealthy }
    if let first = failing.first {
      return failAway(from: failing, health: input.health(of: first), input)
    }
    if receiving.isEmpty { return restoreTraffic(input) }
    let drained = input.drainedRegions
    let recovered = input.service.regions.filter {
      $0.weight > 0 && !input.routing.receives($0.region) && !drained.contains($0.region)
        && input.health(of: $0.region).status == .healthy
    }
    if !recovered.isEmpty { return considerFailback(to: recovered.map(\.region), input) }
    return noAction(
      .healthy, input,
      "\(input.service.id) sends traffic to \(receiving.map(\.rawValue).joined(separator: ", ")) (\(healthSummary(input))). "
        + "A region's weight would drop to 0 if it became unhealthy.")
  }

  /// Moves traffic away from failing regions, subject to overrides and the safety rules.
  static func failAway(from failing: [RegionID], health: Health, _ input: DecisionInput) -> Decision {
    let service = input.service
    let names = failing.map(\.rawValue).joined(separator: ", ")
    let signal = health.decidedBy.map { " according to \($0.name)" } ?? ""
    let why = "\(names) is unhealthy\(signal): \(sentence(health.reason))"
    let desired = routingAvoiding(input.drainedRegions.union(unhealthyRegions(input)), input)
    let plan = desired.map {
      FailoverPlan(
        service: service.id, from: input.routing, to: $0, trigger: .automatic,
        reason: "\(names) is unhealthy (\(health.reason)).", firstUnhealthyAt: health.since)
    }
    if let blocked = automaticGuards(plan, why: why, input) { return blocked }
    guard let plan else {
      return blocked(
        .rule(.neverRouteToUnhealthyTarget), nil, input,
        "\(why) No other region of \(service.id) is healthy (\(healthSummary(input))), so traffic stays where it is. "
          + "\(SafetyRule.neverRouteToUnhealthyTarget.sentence) \(SafetyRule.atLeastOneRegionReceivesTraffic.sentence) "
          + "Failover happens as soon as another region is healthy, or a force override with "
          + "allow_unhealthy_target routes it anyway.")
    }
    return initiate(
      plan, input,
      "\(why) \(service.id) moves from \(plan.from.summary) to \(plan.to.summary), the healthy alternative in "
        + "configured order. No override, dwell time or brake stands in the way; a freeze or block override "
        + "would have stopped it.")
  }

  /// Traffic is away from the primary (or a weighted region is out): return only if the policy allows.
  static func considerFailback(to regions: [RegionID], _ input: DecisionInput) -> Decision {
    let service = input.service
    let names = regions.map(\.rawValue).joined(separator: ", ")
    let healths = regions.map { input.health(of: $0) }
    guard healths.allSatisfy({ $0.status == .healthy }) else {
      return noAction(
        .primaryNotHealthy, input,
        "\(service.id) is routed to \(input.routing.summary), away from \(names), which is not healthy yet "
          + "(\(healths.map(\.reason).joined(separator: "; "))). Failback is considered once it is healthy.")
    }
    if input.drainedRegions.contains(where: regions.contains) {
      return noAction(
        .alreadyInPlace, input,
        "\(names) is drained by an override; traffic returns only after the drain ends.")
    }
    let to = routingRestoring(regions, input)
    let plan = FailoverPlan(
      service: service.id, from: input.routing, to: to, trigger: .failback,
      reason: "\(names) has been healthy for the failback hold time.")
    guard input.policy.automaticFailback else {
      return blocked(
        .rule(.manualFailback), plan, input,
        "\(names) is healthy again (\(healths[0].reason)), but \(service.id) stays at \(input.routing.summary). "
          + "\(SafetyRule.manualFailback.sentence) An operator's manual failback, or policy automatic_failback, "
          + "would return the traffic.")
    }
    let healthySince = healths.compactMap(\.since).max() ?? input.now
    let held = input.now.timeIntervalSince(healthySince)
    if held < input.policy.failbackHoldTime {
      return noAction(
        .waitingForFailbackHold, input,
        "\(names) has been healthy for \(Int(held)) s; automatic failback waits for the hold time of "
          + "\(Int(input.policy.failbackHoldTime)) s, so \(service.id) stays at \(input.routing.summary) for now."
      )
    }
    let why = "\(names) has been healthy for \(Int(held)) s, past the failback hold time."
    if let blocked = automaticGuards(plan, why: why, input) { return blocked }
    return initiate(
      plan, input,
      "\(why) Policy allows automatic failback, so \(service.id) moves from \(plan.from.summary) to "
        + "\(plan.to.summary). A freeze or block override, the dwell time or the brake would have held it.")
  }

  /// No region receives traffic: send it to the best healthy region (the rule at least one region).
  static func restoreTraffic(_ input: DecisionInput) -> Decision {
    guard let desired = routingAvoiding(input.drainedRegions.union(unhealthyRegions(input)), input) else {
      return blocked(
        .rule(.atLeastOneRegionReceivesTraffic), nil, input,
        "No region of \(input.service.id) receives traffic and none is healthy (\(healthSummary(input))). "
          + "\(SafetyRule.atLeastOneRegionReceivesTraffic.sentence) Traffic is restored once a region is healthy."
      )
    }
    let plan = FailoverPlan(
      service: input.service.id, from: input.routing, to: desired, trigger: .automatic,
      reason: "No region received traffic.")
    return initiate(
      plan, input,
      "No region of \(input.service.id) receives traffic, which breaks the rule that at least one must. "
        + "Traffic goes to \(desired.summary), the healthy region in configured order, whatever the overrides, "
        + "dwell time or brake say.")
  }

  /// Freeze and block overrides, then the dwell time and the brake, in that order.
  static func automaticGuards(_ plan: FailoverPlan?, why: String, _ input: DecisionInput) -> Decision? {
    let service = input.service
    let forbidding: [(OverrideKind, forbids: String)] = [
      (.freeze, "any automatic action in its scope"), (.block, "automatic failover"),
    ]
    for (kind, forbids) in forbidding {
      if let override = input.applicableOverrides.first(where: { $0.kind == kind }) {
        return blocked(
          .override(override), plan, input,
          "\(why) \(override.summary) forbids \(forbids), so \(service.id) stays at \(input.routing.summary). "
            + "Clearing the \(kind.rawValue) (it expires at \(Event.timestamp(override.expiresAt))) or a force "
            + "override would change that.")
      }
    }
    guard plan != nil else { return nil }
    if let last = input.history.filter({ $0.service == service.id }).max(by: { $0.at < $1.at }) {
      let elapsed = input.now.timeIntervalSince(last.at)
      if elapsed < input.policy.minimumDwell {
        return blocked(
          .rule(.minimumDwell), plan, input,
          "\(why) But \(service.id) last moved \(Int(elapsed)) s ago (\(last.trigger.rawValue)), within the minimum "
            + "dwell time of \(Int(input.policy.minimumDwell)) s. \(SafetyRule.minimumDwell.sentence) It may move "
            + "again in \(Int((input.policy.minimumDwell - elapsed).rounded(.up))) s, or now with a force override."
        )
      }
    }
    let hourAgo = input.now.addingTimeInterval(-3600)
    let recent = input.history.filter { $0.trigger.isAutomatic && $0.at > hourAgo }
    if recent.count >= input.policy.maxAutomaticFailoversPerHour {
      return blocked(
        .rule(.automaticFailoverBrake), plan, input,
        "\(why) But \(recent.count) automatic failovers already happened in the last hour, the limit of "
          + "\(input.policy.maxAutomaticFailoversPerHour). \(SafetyRule.automaticFailoverBrake.sentence) "
          + "The brake releases as older failovers leave the one-hour window; a force override or a manual "
          + "failover is not braked.")
    }
    return nil
  }

  // MARK: Routing arithmetic

  static func unhealthyRegions(_ input: DecisionInput) -> Set<RegionID> {
    Set(input.service.regionIDs.filter { input.health(of: $0).status == .unhealthy })
  }

  /// All traffic to one region (weighted mode keeps its configured weight, or 100 if that is 0).
  static func allTraffic(to placement: ServiceRegion, _ input: DecisionInput) -> RoutingState {
    var weights = Dictionary(uniqueKeysWithValues: input.service.regionIDs.map { ($0, 0) })
    let weight = input.service.routingMode == .weighted && placement.weight > 0 ? placement.weight : 100
    weights[placement.region] = weight
    return RoutingState(service: input.service.id, weights: weights)
  }

  /// The routing with `excluded` regions out: the best eligible region (healthy first, in order), or in weighted
  /// mode the current weights minus the excluded ones, topped up with eligible regions if none remain.
  static func routingAvoiding(_ excluded: Set<RegionID>, _ input: DecisionInput) -> RoutingState? {
    let eligible = input.service.regions.filter {
      !excluded.contains($0.region) && input.health(of: $0.region).status.canReceiveTraffic
    }
    let ranked =
      eligible.filter { input.health(of: $0.region).status == .healthy }
      + eligible.filter { input.health(of: $0.region).status == .degraded }
    guard input.service.routingMode == .weighted else {
      return ranked.first.map { allTraffic(to: $0, input) }
    }
    var weights = Dictionary(
      uniqueKeysWithValues: input.service.regionIDs.map { ($0, input.routing.weights[$0] ?? 0) })
    for region in excluded { weights[region] = 0 }
    if weights.values.allSatisfy({ $0 == 0 }) {
      for placement in ranked { weights[placement.region] = max(1, placement.weight) }
    }
    guard weights.values.contains(where: { $0 > 0 }) else { return nil }
    return RoutingState(service: input.service.id, weights: weights)
  }

  /// The routing with `regions` receiving traffic again: the primary alone, or in weighted mode their weights back.
  static func routingRestoring(_ regions: [RegionID], _ input: DecisionInput) -> RoutingState {
    guard input.service.routingMode == .weighted else {
      return allTraffic(to: input.service.region(regions[0])!, input)
    }
    var weights = Dictionary(
      uniqueKeysWithValues: input.service.regionIDs.map { ($0, input.routing.weights[$0] ?? 0) })
    for region in regions { weights[region] = input.service.region(region)?.weight ?? 100 }
    return RoutingState(service: input.service.id, weights: weights)
  }

  /// Routing states are equal when every region has the same weight (absent means 0).
  static func sameRouting(_ a: RoutingState, _ b: RoutingState) -> Bool {
    Set(a.weights.keys).union(b.weights.keys).allSatisfy { (a.weights[$0] ?? 0) == (b.weights[$0] ?? 0) }
  }

  /// Ends a reason with a full stop.
  static func sentence(_ text: String) -> String {
    text.hasSuffix(".") ? text : text + "."
  }

  static func healthSummary(_ input: DecisionInput) -> String {
    input.service.regionIDs.map { "\($0) \(input.health(of: $0).status.rawValue)" }.joined(separator: ", ")
  }

  // MARK: Outcomes

  static func noAction(_ reason: NoActionReason, _ input: DecisionInput, _ explanation: String) -> Decision {
    Decision(service: input.service.id, at: input.now, outcome: .noAction(reason), explanation: explanation)
  }

  static func initiate(_ plan: FailoverPlan, _ input: DecisionInput, _ explanation: String) -> Decision {
    Decision(service: input.service.id, at: input.now, outcome: .initiate(plan), explanation: explanation)
  }

  static func blocked(_ by: Blocker, _ plan: FailoverPlan?, _ input: DecisionInput, _ explanation: String)
    -> Decision
  {
    Decision(
      service: input.service.id, at: input.now, outcome: .blocked(by: by, wanted: plan),
      explanation: explanation)
  }
}
