import Foundation

/// The approval step: the workflow waits in `pending_approval` until an operator's decision is journaled (the
/// API appends it, `PendingApproval.decide`) or the deadline passes and the configured outcome applies. The
/// deadline is journaled with the question, so a restart keeps waiting for the same one.
extension WorkflowRunner {
  func awaitApproval(
    _ approval: ApprovalSpec, _ context: RunbookStepContext, entries: inout [StepJournalEntry]
  ) async throws -> (String, StepOutcome) {
    var deadline: Date?
    for case .awaitingApproval(_, let journaled) in context.checkpoints(entries) { deadline = journaled }
    if deadline == nil {
      let until = ports.clock.now.addingTimeInterval(context.step.timeout)
      try await checkpoint(
        context,
        "Waiting for approval of \(context.reference.name): \(approval.message) (until "
          + "\(until.formatted(.iso8601)), then \(approval.onTimeout.rawValue)).",
        .awaitingApproval(message: approval.message, deadline: until), kind: .workflowApprovalRequested,
        entries: &entries)
      deadline = until
    }
    let end = deadline ?? ports.clock.now
    let polls = Int((context.step.timeout / Self.runbookPollInterval).rounded(.up)) + 2
    var verdict: ApprovalVerdict?
    for _ in 0..<polls {
      if let decided = try await decision(context) {
        verdict = decided
        break
      }
      let left = end.timeIntervalSince(ports.clock.now)
      if left <= 0 { break }
      try await pause(min(Self.runbookPollInterval, left))
    }
    if verdict == nil && ports.clock.now < end {
      throw RetryableStepError(
        "no decision on \(context.reference.name) yet; still waiting until \(end.formatted(.iso8601))")
    }
    let final =
      verdict
      ?? ApprovalVerdict(
        decision: approval.onTimeout, actor: Event.automaticActor,
        reason: "nobody decided within \(MeasuredSeconds.text(context.step.timeout))", timedOut: true,
        at: ports.clock.now)
    let by = final.timedOut ? "the timeout" : final.actor
    switch final.decision {
    case .approve:
      return ("Approved by \(by): \(final.reason)", .runbook(.approval(final)))
    case .reject:
      throw PermanentStepError("\(context.reference.name) was rejected by \(by): \(final.reason)")
    }
  }

  /// The decision journaled for this step, if any (the first one counts).
  private func decision(_ context: RunbookStepContext) async throws -> ApprovalVerdict? {
    let entries: [StepJournalEntry]
    do {
      entries = try await ports.journal.entries(workflowID: context.plan.id)
    } catch {
      throw Interruption(reason: "the journal could not be read: \(error)")
    }
    for case .approval(let verdict) in context.checkpoints(entries) { return verdict }
    return nil
  }
}
