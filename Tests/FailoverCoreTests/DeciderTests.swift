import FailoverCore
import Foundation
import Testing

@Suite("Decider: the seed workflow, overrides and safety rules")
struct DeciderTests {
  typealias F = Fixtures
  let now = Fixtures.t0.addingTimeInterval(7200)

  func input(
    mode: RoutingMode = .record, routing: RoutingState? = nil, east: HealthStatus = .healthy,
    west: HealthStatus = .healthy, overrides: [Override] = [], policy: Policy = Policy(),
    history: [Transition] = [],
    at: Date? = nil
  ) -> DecisionInput {
    DecisionInput(
      service: F.service(mode: mode), routing: routing ?? .single(F.api, F.east),
      health: [F.east: F.health(east, region: F.east), F.west: F.health(west, region: F.west)],
      overrides: overrides,
      policy: policy, history: history, now: at ?? now)
  }

  @Test("Given a healthy primary, when deciding, then nothing is done")
  func noActionWhenHealthy() {
    let decision = Decider.decide(input())
    #expect(decision.outcome == .noAction(.healthy))
    #expect(decision.event == nil)
    #expect(decision.explanation.contains("us-east-1"))
  }

  @Test("Given an unhealthy primary and a healthy secondary, then failover is initiated to the secondary")
  func initiatedWhenPrimaryUnhealthy() throws {
    let decision = Decider.decide(input(east: .unhealthy))
    let plan = try #require(decision.plan)
    #expect(plan.trigger == .automatic)
    #expect(plan.fromRegion == F.east)
    #expect(plan.toRegion == F.west)
    #expect(plan.firstUnhealthyAt == F.t0)
    #expect(decision.explanation.contains("probe"))
    #expect(decision.event?.kind == .decisionInitiated)
  }

  @Test("Given a block override (the user flag), when the primary fails, then failover is blocked by it")
  func blockedByUserFlag() {
    let block = F.override(.block)
    let decision = Decider.decide(input(east: .unhealthy, overrides: [block]))
    #expect(decision.blocker == .override(block))
    #expect(decision.explanation.contains("block override ov-1"))
    #expect(decision.event?.kind == .decisionBlocked)
  }

  @Test("Given a global freeze, when the primary fails, then failover is blocked by the freeze")
  func blockedByFreeze() {
    let freeze = F.override(.freeze, scope: .global)
    #expect(Decider.decide(input(east: .unhealthy, overrides: [freeze])).blocker == .override(freeze))
  }

  @Test("Given a block that has expired, when the primary fails, then failover proceeds")
  func expiredBlockNoLongerApplies() {
    let block = F.override(.block, hours: 1)
    #expect(Decider.decide(input(east: .unhealthy, overrides: [block])).plan?.toRegion == F.west)
  }

  @Test("Given a cleared block, when the primary fails, then failover proceeds")
  func clearedBlockNoLongerApplies() {
    var block = F.override(.block, createdAt: now.addingTimeInterval(-60))
    block.clearedAt = now.addingTimeInterval(-1)
    block.clearedBy = "bob"
    #expect(Decider.decide(input(east: .unhealthy, overrides: [block])).plan?.toRegion == F.west)
  }

  @Test("Given a missing health verdict, then the decision is a health-check error")
  func healthCheckError() {
    var given = input()
    given.health[F.west] = nil
    let decision = Decider.decide(given)
    #expect(decision.outcome == .healthCheckError("No health verdict for us-west-2."))
    #expect(decision.event?.kind == .healthCheckError)
  }

  @Test("Given an unknown primary, then nothing is done")
  func unknownActiveRegion() {
    #expect(Decider.decide(input(east: .unknown)).outcome == .noAction(.activeRegionUnknown))
  }

  @Test("Given a degraded primary, then traffic stays")
  func degradedDoesNotMove() {
    let decision = Decider.decide(input(east: .degraded))
    #expect(decision.outcome == .noAction(.healthy))
    #expect(decision.explanation.contains("degraded"))
  }

  @Test("Given both regions unhealthy, then failover is blocked by neverRouteToUnhealthyTarget")
  func noHealthyTarget() {
    let decision = Decider.decide(input(east: .unhealthy, west: .unhealthy))
    #expect(decision.blocker == .rule(.neverRouteToUnhealthyTarget))
    #expect(decision.explanation.contains("At least one region must always receive traffic."))
  }

  @Test("Given an unknown secondary, then the primary's failure does not route to it")
  func unknownTargetIsNotEligible() {
    #expect(
      Decider.decide(input(east: .unhealthy, west: .unknown)).blocker == .rule(.neverRouteToUnhealthyTarget))
  }

  @Test(
    "Given a transition 5 minutes ago, then failover is blocked by minimumDwell, and allowed after 10 minutes"
  )
  func antiFlap() {
    let recent = F.transition(at: now.addingTimeInterval(-300))
    let blocked = Decider.decide(input(east: .unhealthy, history: [recent]))
    #expect(blocked.blocker == .rule(.minimumDwell))
    #expect(blocked.explanation.contains("300 s"))
    let later = Decider.decide(input(east: .unhealthy, history: [recent], at: now.addingTimeInterval(301)))
    #expect(later.plan?.toRegion == F.west)
  }

  @Test("Given three automatic failovers in the last hour, then the brake blocks a fourth")
  func brake() {
    let others: [Transition] = (1...3).map {
      F.transition(at: now.addingTimeInterval(-Double($0) * 900), service: ServiceID("svc-\($0)"))
    }
    #expect(
      Decider.decide(input(east: .unhealthy, history: others)).blocker == .rule(.automaticFailoverBrake))
    let manual = others.map {
      var t = $0; t.trigger = .manual; return t
    }
    #expect(Decider.decide(input(east: .unhealthy, history: manual)).plan != nil)
    let afterAnHour = Decider.decide(
      input(east: .unhealthy, history: others, at: now.addingTimeInterval(1800)))
    #expect(afterAnHour.plan != nil)
  }

  @Test("Given a force to the secondary, then traffic moves even within dwell, freeze and brake")
  func forceBypassesAutomaticRules() throws {
    let force = F.override(.force, target: F.west, createdAt: now.addingTimeInterval(-10))
    let freeze = F.override(.freeze, scope: .global, createdAt: now.addingTimeInterval(-20), id: "ov-2")
    let recent = F.transition(at: now.addingTimeInterval(-60))
    let decision = Decider.decide(input(overrides: [force, freeze], history: [recent]))
    let plan = try #require(decision.plan)
    #expect(plan.trigger == .forced)
    #expect(plan.toRegion == F.west)
    #expect(plan.actor == "alice")
    #expect(plan.overrideID == "ov-1")
  }

  @Test("Given a force to an unhealthy region, then it is blocked unless allow_unhealthy_target is set")
  func forceToUnhealthyTarget() {
    let force = F.override(.force, target: F.west)
    #expect(
      Decider.decide(input(west: .unhealthy, overrides: [force])).blocker
        == .rule(.neverRouteToUnhealthyTarget))
    let allowing = F.override(.force, target: F.west, allowUnhealthy: true)
    #expect(Decider.decide(input(west: .unhealthy, overrides: [allowing])).plan?.toRegion == F.west)
  }

  @Test("Given a force already in place, then nothing is done; once it expires, failback rules apply")
  func forceInPlaceAndExpiry() {
    let force = F.override(.force, target: F.west, createdAt: now.addingTimeInterval(-3600), hours: 2)
    let routing = RoutingState.single(F.api, F.west)
    #expect(Decider.decide(input(routing: routing, overrides: [force])).outcome == .noAction(.alreadyInPlace))
    let expired = Decider.decide(
      input(routing: routing, overrides: [force], at: now.addingTimeInterval(3601)))
    #expect(expired.blocker == .rule(.manualFailback))
  }

  @Test("Given a drain of the primary region, then traffic moves to the secondary with trigger drain")
  func drain() throws {
    let drain = F.override(.drain, scope: .region(F.east))
    let plan = try #require(Decider.decide(input(overrides: [drain])).plan)
    #expect(plan.trigger == .drain)
    #expect(plan.toRegion == F.west)
  }

  @Test("Given a drain while the secondary is unhealthy, then the drain is blocked")
  func drainWithoutTarget() {
    let drain = F.override(.drain, target: F.east)
    #expect(
      Decider.decide(input(west: .unhealthy, overrides: [drain])).blocker
        == .rule(.neverRouteToUnhealthyTarget))
  }

  @Test("Given traffic on the secondary and a healthy primary, then failback is manual by default")
  func manualFailback() {
    let decision = Decider.decide(input(routing: .single(F.api, F.west)))
    #expect(decision.blocker == .rule(.manualFailback))
    #expect(decision.plan == nil)
  }

  @Test("Given automatic failback, then traffic returns only after the hold time")
  func automaticFailback() throws {
    let policy = Policy(automaticFailback: true, failbackHoldTime: 600)
    var given = input(routing: .single(F.api, F.west), policy: policy)
    given.health[F.east] = F.health(.healthy, since: now.addingTimeInterval(-120))
    #expect(Decider.decide(given).outcome == .noAction(.waitingForFailbackHold))
    given.now = now.addingTimeInterval(480)
    let plan = try #require(Decider.decide(given).plan)
    #expect(plan.trigger == .failback)
    #expect(plan.toRegion == F.east)
  }

  @Test("Given traffic on the secondary and an unhealthy primary, then nothing is done")
  func primaryStillUnhealthy() {
    #expect(
      Decider.decide(input(routing: .single(F.api, F.west), east: .unhealthy)).outcome
        == .noAction(.primaryNotHealthy))
  }

  @Test(
    "Given weighted mode and one failing region, then its weight goes to 0 and the other keeps its weight")
  func weightedFailover() throws {
    let both = RoutingState(service: F.api, weights: [F.east: 100, F.west: 100])
    let plan = try #require(Decider.decide(input(mode: .weighted, routing: both, west: .unhealthy)).plan)
    #expect(plan.to.weights == [F.east: 100, F.west: 0])
    #expect(plan.trigger == .automatic)
  }

  @Test("Given weighted mode and every region failing, then at least one keeps traffic")
  func weightedAllFailing() {
    let both = RoutingState(service: F.api, weights: [F.east: 100, F.west: 100])
    let decision = Decider.decide(input(mode: .weighted, routing: both, east: .unhealthy, west: .unhealthy))
    #expect(decision.blocker == .rule(.neverRouteToUnhealthyTarget))
  }

  @Test(
    "Given weighted mode and a recovered region at weight 0, then restoring it follows the failback policy")
  func weightedRecovery() throws {
    let one = RoutingState(service: F.api, weights: [F.east: 100, F.west: 0])
    #expect(Decider.decide(input(mode: .weighted, routing: one)).blocker == .rule(.manualFailback))
    var given = input(
      mode: .weighted, routing: one, policy: Policy(automaticFailback: true, failbackHoldTime: 60))
    given.health[F.west] = F.health(.healthy, since: now.addingTimeInterval(-61), region: F.west)
    let plan = try #require(Decider.decide(given).plan)
    #expect(plan.to.weights == [F.east: 100, F.west: 100])
  }

  @Test("Given failover-health-check mode, then decisions name the region the routing endpoint should report")
  func routingEndpointMode() throws {
    let plan = try #require(Decider.decide(input(mode: .failoverHealthCheck, east: .unhealthy)).plan)
    #expect(plan.to.receivingRegions == [F.west])
    #expect(plan.to.weights[F.east] == 0)
    #expect(plan.to.routingEndpointStatus(for: F.east) == 503)
    #expect(plan.to.routingEndpointStatus(for: F.west) == 200)
  }

  @Test("Given an operator's manual failover to a healthy region, then it is initiated despite a freeze")
  func manualFailover() throws {
    let freeze = F.override(.freeze, scope: .global)
    let request = ManualRequest(service: F.api, targetRegion: F.west, actor: "bob", reason: "drill")
    let plan = try #require(Decider.manualRequest(request, input(overrides: [freeze])).plan)
    #expect(plan.trigger == .manual)
    #expect(plan.actor == "bob")
  }

  @Test(
    "Given a manual request to an unhealthy region, then it is blocked unless the rule is overridden by name")
  func manualBreakGlass() throws {
    var request = ManualRequest(service: F.api, targetRegion: F.west, actor: "bob", reason: "drill")
    let recent = [F.transition(at: now.addingTimeInterval(-10))]
    let given = input(west: .unhealthy, history: recent)
    #expect(Decider.manualRequest(request, given).blocker == .rule(.neverRouteToUnhealthyTarget))
    request.overriding = [.neverRouteToUnhealthyTarget]
    #expect(Decider.manualRequest(request, given).blocker == .rule(.minimumDwell))
    request.overriding = [.neverRouteToUnhealthyTarget, .minimumDwell]
    let decision = Decider.manualRequest(request, given)
    #expect(decision.plan?.toRegion == F.west)
    #expect(decision.explanation.contains("neverRouteToUnhealthyTarget, minimumDwell"))
  }

  @Test("Given a manual request for an unknown region, then it is rejected with a reason")
  func manualUnknownRegion() {
    let request = ManualRequest(service: F.api, targetRegion: "ap-south-1", actor: "bob", reason: "x")
    #expect(
      Decider.manualRequest(request, input()).outcome
        == .rejected("ap-south-1 is not a region of api.example.com."))
  }
}

@Suite("Decider: at least one region receives traffic, override expiry")
struct DeciderTrafficTests {
  typealias F = Fixtures
  let now = Fixtures.t0.addingTimeInterval(7200)

  func input(
    routing: RoutingState, east: HealthStatus, west: HealthStatus, overrides: [Override] = [], at: Date? = nil
  ) -> DecisionInput {
    DecisionInput(
      service: F.service(), routing: routing,
      health: [F.east: F.health(east, region: F.east), F.west: F.health(west, region: F.west)],
      overrides: overrides, now: at ?? now)
  }

  @Test("Given no region receiving traffic, then traffic is restored to the first healthy region at once")
  func restoresTraffic() throws {
    let none = RoutingState(service: F.api, weights: [:])
    let freeze = F.override(.freeze, scope: .global, createdAt: now - 60)
    let plan = try #require(
      Decider.decide(input(routing: none, east: .unhealthy, west: .healthy, overrides: [freeze])).plan)
    #expect(plan.toRegion == F.west)
  }

  @Test(
    "Given no region receiving traffic and none healthy, then the rule atLeastOneRegionReceivesTraffic is named"
  )
  func nothingToRestoreTo() {
    let none = RoutingState(service: F.api, weights: [:])
    let decision = Decider.decide(input(routing: none, east: .unhealthy, west: .unknown))
    #expect(decision.blocker == .rule(.atLeastOneRegionReceivesTraffic))
    #expect(decision.blockedNotification?.kind == .blocked)
  }

  @Test("Given a freeze that expires, then automatic failover resumes after its expiry")
  func freezeExpiry() {
    let freeze = F.override(.freeze, scope: .region(F.east), createdAt: now - 3600, hours: 2)
    let east = RoutingState.single(F.api, F.east)
    #expect(
      Decider.decide(input(routing: east, east: .unhealthy, west: .healthy, overrides: [freeze])).blocker
        == .override(freeze))
    let later = Decider.decide(
      input(routing: east, east: .unhealthy, west: .healthy, overrides: [freeze], at: now + 3600))
    #expect(later.plan?.trigger == .automatic)
  }

  @Test("Given a drain that expired, then the drained region is eligible again under the failback policy")
  func drainExpiry() {
    let drain = F.override(.drain, scope: .region(F.east), createdAt: now - 3600, hours: 2)
    let west = RoutingState.single(F.api, F.west)
    let during = Decider.decide(input(routing: west, east: .healthy, west: .healthy, overrides: [drain]))
    #expect(during.outcome == .noAction(.alreadyInPlace))
    let after = Decider.decide(
      input(routing: west, east: .healthy, west: .healthy, overrides: [drain], at: now + 3600))
    #expect(after.blocker == .rule(.manualFailback))
  }

  @Test("Given a drained secondary, when the primary fails, then the drained region is not a target")
  func drainedRegionIsNotATarget() {
    let drain = F.override(.drain, scope: .region(F.west), createdAt: now - 60)
    let decision = Decider.decide(
      input(routing: .single(F.api, F.east), east: .unhealthy, west: .healthy, overrides: [drain]))
    #expect(decision.blocker == .rule(.neverRouteToUnhealthyTarget))
  }
}
