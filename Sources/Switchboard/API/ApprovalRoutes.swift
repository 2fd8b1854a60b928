import FailoverCore
import Foundation
import HTTPServer

/// Approve or reject the approval step a workflow waits on (`pending_approval`): the decision is appended to the
/// workflow's journal with its audit event, where the waiting runner (or a restarted one) reads it.
public enum ApprovalRoutes {
  struct Decided: Encodable {
    var workflowId: String
    var step: String
    var decision: String
    var actor: String
    var reason: String
  }

  /// Registers the route.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.POST, "/api/v1/workflows/{workflow}/approval", role: .operator, context: context) {
      request, principal in
      if let relayed = try await LeaderForwarding.forwardIfFollower(request, context) { return relayed }
      return try await context.idempotency.run(request, actor: principal.name) {
        var body = try JSONBody(request)
        let decisionText = body.string("decision", required: true, maxLength: 20)
        let reason = body.string("reason", required: true)
        let decision = decisionText.flatMap(ApprovalVerdict.Decision.init(rawValue:))
        if decisionText != nil, decision == nil { body.reject("decision", "must be approve or reject") }
        try body.finish()
        guard let decision, let reason else { throw APIError.badRequest("decision and reason are required.") }
        let id = request.parameters["workflow"] ?? ""
        let detail: WorkflowDetail?
        do {
          detail = try await context.store.workflow(id: id)
        } catch {
          throw APIError.unavailable("The workflow cannot be read from the store: \(error)")
        }
        guard let detail else { throw APIError.notFound("There is no workflow \(id).") }
        guard let pending = PendingApproval(detail) else {
          throw APIError.conflict(
            "Workflow \(id) is not waiting for an approval (it is \(detail.record.state.rawValue)).",
            slug: "not-pending-approval")
        }
        let (entry, event) = pending.decide(
          decision, actor: principal.name, reason: reason, at: context.clock.now)
        do {
          try await context.store.append(entry, events: [event])
        } catch {
          throw APIError.unavailable("The decision could not be journaled: \(error)")
        }
        return APIJSON.response(
          Decided(
            workflowId: id, step: pending.reference.rawValue, decision: decision.rawValue,
            actor: principal.name,
            reason: reason))
      }
    }
  }
}
