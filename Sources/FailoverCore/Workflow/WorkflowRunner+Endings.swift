import Foundation

/// How a workflow ends: succeeded, failed (after the revert, with the failed notification), or interrupted.
extension WorkflowRunner {
  /// Records the success: the store also records the transition and the service's new routing state.
  func succeed(_ plan: WorkflowPlan, entries: [StepJournalEntry]) async throws -> WorkflowResult {
    var timings = WorkflowTimings(plan: plan, entries: entries)
    timings.finishedAt = ports.clock.now
    let event = Event(
      kind: .workflowSucceeded, scope: .service(plan.plan.service), actor: plan.plan.actor,
      at: ports.clock.now,
      message: "Workflow \(plan.id) succeeded: \(plan.plan.service) now routes \(plan.plan.to.summary).",
      details: [
        "workflow": .string(plan.id),
        "timings": .object(timings.secondsSinceStart.mapValues(JSONValue.double)),
      ])
    do {
      try await ports.journal.finish(plan.id, outcome: .succeeded, timings: timings, events: [event])
    } catch {
      throw Interruption(reason: "the journal could not record the end: \(error)")
    }
    return WorkflowResult(
      workflowID: plan.id, outcome: .succeeded, timings: timings, interruption: nil,
      runbook: RunbookStepSummary.summaries(plan, entries: entries))
  }

  /// Reverts an accepted DNS change, tells on-call humans, and records the failure of `step`.
  func fail(
    _ plan: WorkflowPlan, step: WorkflowStep, reason: String, entries: inout [StepJournalEntry]
  ) async throws -> WorkflowResult {
    var reason = reason
    if step.runbookReference?.stage == .beforeTraffic {
      reason += (reason.hasSuffix(".") ? "" : ".") + " The workflow stopped before any DNS change."
    }
    reason = try await revertIfChanged(plan, reason: reason, entries: &entries)
    var timings = WorkflowTimings(plan: plan, entries: entries)
    timings.finishedAt = ports.clock.now
    try await confirmLeadership()
    let delivery = NotificationDelivery(
      notifier: ports.notifier, backoff: Backoff(policy: policy.notificationRetry, jitter: ports.jitter),
      sleeper: ports.sleeper)
    let clock = ports.clock
    var events: [Event] = []
    if let failure = await delivery.deliver(
      notification(.failed, plan, reason: reason, timings), at: { clock.now })
    {
      events.append(failure)
    }
    events.append(
      Event(
        kind: .workflowFailed, scope: .service(plan.plan.service), actor: plan.plan.actor,
        at: ports.clock.now,
        message:
          "Workflow \(plan.id) failed. \(reason)",
        details: ["workflow": .string(plan.id), "step": .string(step.rawValue), "reason": .string(reason)]))
    let outcome = WorkflowOutcome.failed(step: step, reason: reason)
    do {
      try await ports.journal.finish(plan.id, outcome: outcome, timings: timings, events: events)
    } catch {
      throw Interruption(reason: "the journal could not record the end: \(error)")
    }
    return WorkflowResult(
      workflowID: plan.id, outcome: outcome, timings: timings, interruption: nil,
      runbook: RunbookStepSummary.summaries(plan, entries: entries))
  }

  /// A run that stopped without an outcome (the journal refused a write, or cancellation); it resumes later.
  func interrupted(_ plan: WorkflowPlan, _ entries: [StepJournalEntry], _ reason: String) -> WorkflowResult {
    WorkflowResult(
      workflowID: plan.id, outcome: nil, timings: WorkflowTimings(plan: plan, entries: entries),
      interruption: "Workflow \(plan.id) stopped before its end and will resume: \(reason)")
  }
}
