import Foundation

/// Journal writes: every step entry goes to the store with its audit event in one call, or the run stops.
extension WorkflowRunner {
  /// Appends one entry (and its event, when `kind` is given) and keeps it in `entries`; a refused write
  /// interrupts the run, to resume from the journal later.
  func journal(
    _ plan: WorkflowPlan, _ index: Int, _ step: WorkflowStep, _ phase: StepPhase, _ attempt: Int,
    _ message: String, _ outcome: StepOutcome, kind: EventKind?, entries: inout [StepJournalEntry]
  ) async throws {
    let now = ports.clock.now
    let entry = StepJournalEntry(
      workflowID: plan.id, index: index, step: step, phase: phase, attempt: attempt, at: now,
      message: message,
      detail: outcome)
    let events =
      kind.map {
        [
          Event(
            kind: $0, scope: .service(plan.plan.service), actor: plan.plan.actor, at: now, message: message,
            details: ["workflow": .string(plan.id), "step": .string(step.rawValue), "attempt": .int(attempt)])
        ]
      } ?? []
    do {
      try await ports.journal.append(entry, events: events)
    } catch {
      throw Interruption(reason: "the journal could not record step \(step.rawValue): \(error)")
    }
    entries.append(entry)
  }
}

extension WorkflowRunner {
  /// In a cluster, confirms this node still leads before a call to the outside world; a lost leadership interrupts
  /// the run (the new leader resumes it from the journal) instead of failing it.
  func confirmLeadership() async throws {
    guard let leadership = ports.leadership else { return }
    do { try await leadership.confirm() } catch {
      throw Interruption(reason: "leadership could not be confirmed: \(error)")
    }
  }
}
