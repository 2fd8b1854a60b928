import Configuration
import FailoverCore
import Foundation
import HTTPServer

/// Explain (why a service is where it is, why automation did or did not act) and what-if (a dry-run move).
public enum ExplainRoutes {
  struct RegionHealth: Encodable {
    var region: String
    var health: HealthRepresentation
    /// In a cluster, each live node's view and the quorum; null on a single node.
    @Nullable var quorum: QuorumRepresentation?
  }

  struct Explanation: Encodable {
    var service: String
    var at: Date
    @Nullable var activeRegion: String?
    var routing: RoutingRepresentation
    var health: [RegionHealth]
    var automation: DecisionRepresentation
    @Nullable var lastDecision: DecisionRepresentation?
    var overrides: [OverrideRepresentation]
    @Nullable var workflow: WorkflowSummaryRepresentation?
    var summary: String
    /// The service's runbook, every stage, each step with `predicted_seconds`.
    var runbook: [RunbookPredictionRepresentation]
  }

  /// Registers the routes.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/services/{service}/explain", role: .viewer, context: context) { request, _ in
      let (service, snapshot) = try await ServiceRoutes.service(request, context)
      guard let automation = await context.engine.dryRun(service: service.id) else {
        throw APIError.notFound("Service \(service.id) is no longer configured.")
      }
      let order = service.regionIDs
      let health = snapshot.regions.map {
        RegionHealth(
          region: $0.region.rawValue, health: HealthRepresentation($0.health),
          quorum: $0.views.map(QuorumRepresentation.init))
      }
      var summary =
        "\(service.id) sends its traffic to \(snapshot.routing.summary). "
        + health.map { "\($0.region) is \($0.health.status) (\($0.health.reason))." }.joined(separator: " ")
      if let workflow = snapshot.workflow {
        summary += " Workflow \(workflow.id) is moving it now: \(workflow.plan.reason)"
      } else {
        summary += " Automation now: \(automation.explanation)"
      }
      if !snapshot.overrides.isEmpty {
        summary += " Overrides in force: \(snapshot.overrides.map(\.summary).joined(separator: "; "))."
      }
      return APIJSON.response(
        Explanation(
          service: service.id.rawValue, at: automation.at,
          activeRegion: snapshot.activeRegion?.rawValue,
          routing: RoutingRepresentation(snapshot.routing, order: order), health: health,
          automation: DecisionRepresentation(automation, order: order),
          lastDecision: snapshot.lastDecision.map { DecisionRepresentation($0, order: order) },
          overrides: snapshot.overrides.map { OverrideRepresentation($0, now: automation.at) },
          workflow: snapshot.workflow.map { WorkflowSummaryRepresentation($0, order: order) },
          summary: summary,
          runbook: RunbookPrediction.configured(
            service,
            measured: await RunbookPrediction.measured(service.id, store: context.store)
          ).map(RunbookPredictionRepresentation.init)))
    }
    router.api(.GET, "/api/v1/services/{service}/what-if", role: .viewer, context: context) {
      request, principal in
      var query = QueryParameters(request)
      let target = query.string("target_region", maxLength: 100)
      let ruleNames = query.string("override_rules", maxLength: 500)
      if target == nil || target?.isEmpty == true {
        query.reject("target_region", "target_region is required.")
      }
      let rules = NamedValues.parse(
        NamedValues.split(ruleNames ?? ""), as: SafetyRule.self, noun: "safety rule")
      for problem in rules.problems { query.reject("override_rules", problem) }
      try query.finish()
      let (service, snapshot) = try await ServiceRoutes.service(request, context)
      let region = RegionID(rawValue: target ?? "")
      guard service.region(region) != nil else {
        throw APIError.unprocessable(
          "\(region) is not a region of \(service.id) (regions: "
            + "\(service.regionIDs.map(\.rawValue).joined(separator: ", "))).",
          errors: [FieldError("query:target_region", "not one of the service's regions")])
      }
      return APIJSON.response(
        try await whatIf(service, snapshot, region, rules: rules.values, actor: principal.name, context))
    }
  }

  /// The decision a manual move would get, every safety rule that would refuse it (found by setting each aside in
  /// turn), the exact DNS changes, and the predicted time until clients move.
  static func whatIf(
    _ service: Service, _ snapshot: ServiceSnapshot, _ target: RegionID, rules: Set<SafetyRule>,
    actor: String,
    _ context: APIContext
  ) async throws(APIError) -> WhatIfRepresentation {
    let order = service.regionIDs
    func ask(_ overriding: Set<SafetyRule>) async throws(APIError) -> Decision {
      let request = ManualRequest(
        service: service.id, targetRegion: target, actor: actor, reason: "what-if (dry run)",
        overriding: overriding)
      guard let decision = await context.engine.dryRun(service: service.id, manual: request) else {
        throw .notFound("Service \(service.id) is no longer configured.")
      }
      return decision
    }
    let decision = try await ask(rules)
    var blockers: [String] = []
    var setAside = rules
    var probe = decision
    while case .blocked(let blocker, _) = probe.outcome, blockers.count < SafetyRule.allCases.count {
      blockers.append(blocker.key)
      guard case .rule(let rule) = blocker, !setAside.contains(rule) else { break }
      setAside.insert(rule)
      probe = try await ask(setAside)
    }
    let wouldMove: RoutingState?
    switch decision.outcome {
    case .initiate(let plan): wouldMove = plan.to
    case .blocked(_, let wanted): wouldMove = wanted?.to
    default: wouldMove = nil
    }
    let changes: [DNSChangeRepresentation]
    if let wouldMove, service.routingMode != .failoverHealthCheck {
      changes = DNSTarget.records(for: wouldMove, service: service).map {
        DNSChangeRepresentation($0, hostedZone: service.hostedZoneID ?? service.hostedZone)
      }
    } else {
      changes = []
    }
    let prediction = PredictedTime(
      service: service, leaving: snapshot.activeRegion, regions: await context.engine.configuration().regions,
      alarmPollInterval: context.engine.settings.alarmPollInterval ?? AWSSettings.defaultAlarmPollInterval)
    var explanation = decision.explanation
    if service.routingMode == .failoverHealthCheck, wouldMove != nil {
      explanation +=
        " In failover-health-check mode no Route53 change is sent: /routing/\(service.id)/\(target) starts "
        + "answering 200 and Route53's health checks move the traffic."
    }
    explanation +=
      " Clients would move within about \(Int(prediction.total)) s (detection \(Int(prediction.detection)) s + "
      + "propagation \(Int(prediction.propagation)) s + TTL \(Int(prediction.ttl)) s)."
    var runbook: [RunbookPrediction] = []
    if let plan = decision.plan
      ?? { if case .blocked(_, let wanted) = decision.outcome { wanted } else { nil } }()
    {
      runbook = RunbookPrediction.predict(
        plan, service: service,
        measured: await RunbookPrediction.measured(service.id, store: context.store))
    }
    if !runbook.isEmpty {
      let seconds = runbook.map(\.predictedSeconds).reduce(0, +)
      explanation +=
        " The runbook runs \(runbook.count) step(s) (\(runbook.map { "\($0.stage.rawValue) \($0.name)" }.joined(separator: ", "))), "
        + "predicted at most \(Int(seconds)) s."
    }
    var proceeds = false
    if case .initiate = decision.outcome { proceeds = true }
    var representation = WhatIfRepresentation(
      service: service.id.rawValue, targetRegion: target.rawValue,
      decision: DecisionRepresentation(decision, order: order), wouldProceed: proceeds, blockedBy: blockers,
      dnsChanges: changes, predictedSeconds: prediction, explanation: explanation)
    representation.runbook = runbook.map(RunbookPredictionRepresentation.init)
    return representation
  }
}
