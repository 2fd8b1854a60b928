import FailoverCore
import Foundation
import HTTPServer

/// Failover state and history per service, and manual failover / failback.
public enum FailoverRoutes {
  /// The state of a service's failover, as `GET /api/v1/services/{service}/failover` shows it.
  struct State: Encodable {
    var service: String
    var routing: RoutingRepresentation
    @Nullable var activeRegion: String?
    @Nullable var workflow: WorkflowSummaryRepresentation?
    @Nullable var lastWorkflow: WorkflowSummaryRepresentation?
    @Nullable var lastDecision: DecisionRepresentation?
  }

  /// The answer to a manual request that was carried out (or needed nothing).
  struct Accepted: Encodable {
    var service: String
    var decision: DecisionRepresentation
    @Nullable var workflowId: String?
    var breakGlass: [String]
  }

  struct WorkflowList: Encodable {
    var workflows: [WorkflowRepresentation]
    @Nullable var nextCursor: String?
  }

  /// Registers the routes.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/services/{service}/failover", role: .viewer, context: context) { request, _ in
      let (service, snapshot) = try await ServiceRoutes.service(request, context)
      let order = service.regionIDs
      return APIJSON.response(
        State(
          service: service.id.rawValue, routing: RoutingRepresentation(snapshot.routing, order: order),
          activeRegion: snapshot.activeRegion?.rawValue,
          workflow: snapshot.workflow.map { WorkflowSummaryRepresentation($0, order: order) },
          lastWorkflow: snapshot.lastWorkflow.map { WorkflowSummaryRepresentation($0, order: order) },
          lastDecision: snapshot.lastDecision.map { DecisionRepresentation($0, order: order) }))
    }
    router.api(.POST, "/api/v1/services/{service}/failover", role: .operator, context: context) {
      request, principal in
      if let relayed = try await LeaderForwarding.forwardIfFollower(request, context) { return relayed }
      return try await context.idempotency.run(request, actor: principal.name) {
        var body = try JSONBody(request)
        let target = body.string("target_region", required: true, maxLength: 100)
        let reason = body.string("reason", required: true)
        let rules = safetyRules(&body)
        try body.finish()
        return try await move(request, context, principal, target: target, reason: reason, rules: rules)
      }
    }
    router.api(.POST, "/api/v1/services/{service}/failback", role: .operator, context: context) {
      request, principal in
      if let relayed = try await LeaderForwarding.forwardIfFollower(request, context) { return relayed }
      return try await context.idempotency.run(request, actor: principal.name) {
        var body = try JSONBody(request)
        let reason = body.string("reason", required: true)
        let rules = safetyRules(&body)
        try body.finish()
        return try await move(request, context, principal, target: nil, reason: reason, rules: rules)
      }
    }
    router.api(.GET, "/api/v1/services/{service}/workflows", role: .viewer, context: context) { request, _ in
      var query = QueryParameters(request)
      let limit = query.integer("limit", in: 1...1000) ?? 100
      let cursor = query.cursor()
      try query.finish()
      let (service, _) = try await ServiceRoutes.service(request, context)
      let page: WorkflowPage
      var workflows: [WorkflowRepresentation] = []
      do {
        page = try await context.store.workflows(service: service.id, before: cursor, limit: limit)
        for record in page.workflows {
          workflows.append(
            WorkflowRepresentation(record, entries: try await context.store.entries(workflowID: record.id)))
        }
      } catch {
        throw APIError.unavailable("Workflows cannot be read from the store: \(error)")
      }
      return APIJSON.response(
        WorkflowList(workflows: workflows, nextCursor: page.nextCursor.map(String.init)))
    }
    router.api(.GET, "/api/v1/workflows/{workflow}", role: .viewer, context: context) { request, _ in
      let id = request.parameters["workflow"] ?? ""
      let detail: WorkflowDetail?
      do {
        detail = try await context.store.workflow(id: id)
      } catch {
        throw APIError.unavailable("The workflow cannot be read from the store: \(error)")
      }
      guard let detail else { throw APIError.notFound("There is no workflow \(id).") }
      return APIJSON.response(WorkflowRepresentation(detail.record, entries: detail.entries))
    }
  }

  /// `override_rules`: safety rules by name.
  static func safetyRules(_ body: inout JSONBody) -> Set<SafetyRule> {
    guard let names = body.strings("override_rules", maxCount: SafetyRule.allCases.count) else { return [] }
    let rules = NamedValues.parse(names, as: SafetyRule.self, noun: "safety rule")
    for problem in rules.problems { body.reject("override_rules", problem) }
    return rules.values
  }

  /// Asks the engine to move the service to `target` (nil: its primary) and answers with the decision.
  static func move(
    _ request: Request, _ context: APIContext, _ principal: Principal, target: String?, reason: String?,
    rules: Set<SafetyRule>
  ) async throws -> Response {
    let (service, _) = try await ServiceRoutes.service(request, context)
    guard let reason else { throw APIError.badRequest("reason is required.") }
    let region: RegionID
    if let target {
      region = RegionID(rawValue: target)
      guard service.region(region) != nil else {
        throw APIError.unprocessable(
          "\(target) is not a region of \(service.id) (regions: "
            + "\(service.regionIDs.map(\.rawValue).joined(separator: ", "))).",
          errors: [FieldError("/target_region", "not one of the service's regions")])
      }
    } else {
      guard let primary = service.primary else {
        throw APIError.unprocessable("\(service.id) has no regions.")
      }
      region = primary
    }
    let result: (decision: Decision, workflowID: String?)
    do {
      result = try await context.engine.requestManualMove(
        ManualRequest(
          service: service.id, targetRegion: region, actor: principal.name, reason: reason, overriding: rules)
      )
    } catch {
      throw error.apiError
    }
    let decision = result.decision
    let order = service.regionIDs
    let accepted = Accepted(
      service: service.id.rawValue, decision: DecisionRepresentation(decision, order: order),
      workflowId: result.workflowID, breakGlass: rules.map(\.rawValue).sorted())
    switch decision.outcome {
    case .initiate:
      var response = APIJSON.response(accepted, status: .accepted)
      if let id = result.workflowID {
        response.headers.add(name: "Location", value: "/api/v1/workflows/\(id)")
      }
      return response
    case .noAction:
      return APIJSON.response(accepted)
    case .blocked(let blocker, _):
      throw APIError.conflict(decision.explanation, refusedBy: [blocker.key], slug: "refused-by-safety-rule")
    case .rejected(let message):
      throw APIError.unprocessable(message)
    case .healthCheckError(let message):
      throw APIError.conflict(message, slug: "health-check-error")
    }
  }
}
