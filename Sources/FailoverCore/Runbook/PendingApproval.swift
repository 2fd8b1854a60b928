import Foundation

/// An approval step a workflow is waiting on, found in its journal, and the journal entry that decides it.
///
/// The operator's decision is a checkpoint of the step appended to the workflow's journal with its audit event
/// (one transaction): the waiting runner reads it, and a restart finds it there.
public struct PendingApproval: Sendable, Hashable {
  /// The workflow waiting.
  public var workflowID: String
  /// The service of the workflow.
  public var service: ServiceID
  /// The step's position in the plan.
  public var index: Int
  /// The approval step.
  public var reference: RunbookStepReference
  /// The attempt that waits.
  public var attempt: Int
  /// The question.
  public var message: String
  /// When the configured default outcome applies.
  public var deadline: Date

  /// The approval a running workflow waits on; nil when it waits on none.
  public init?(_ detail: WorkflowDetail) {
    guard detail.record.state == .running else { return nil }
    var pending: PendingApproval?
    for entry in detail.entries {
      guard let reference = entry.step.runbookReference else { continue }
      switch (entry.phase, entry.detail.runbook) {
      case (.progress, .awaitingApproval(let message, let deadline)):
        pending = PendingApproval(
          workflowID: detail.record.id, service: detail.record.plan.plan.service, index: entry.index,
          reference: reference, attempt: entry.attempt, message: message, deadline: deadline)
      case (.progress, .approval), (.finished, _), (.failed, _):
        if pending?.index == entry.index { pending = nil }
      default: break
      }
    }
    guard let pending else { return nil }
    self = pending
  }

  private init(
    workflowID: String, service: ServiceID, index: Int, reference: RunbookStepReference, attempt: Int,
    message: String, deadline: Date
  ) {
    self.workflowID = workflowID
    self.service = service
    self.index = index
    self.reference = reference
    self.attempt = attempt
    self.message = message
    self.deadline = deadline
  }

  /// The journal entry and audit event that record a person's decision.
  public func decide(_ decision: ApprovalVerdict.Decision, actor: String, reason: String, at now: Date) -> (
    StepJournalEntry, Event
  ) {
    let verdict = ApprovalVerdict(decision: decision, actor: actor, reason: reason, at: now)
    let verb = decision == .approve ? "approved" : "rejected"
    let message = "\(reference.name) \(verb) by \(actor): \(reason)"
    let entry = StepJournalEntry(
      workflowID: workflowID, index: index, step: .runbook(reference), phase: .progress, attempt: attempt,
      at: now,
      message: message, detail: .runbook(.approval(verdict)))
    let event = Event(
      kind: .workflowApprovalDecided, scope: .service(service), actor: actor, at: now,
      message: "Workflow \(workflowID): \(message)",
      details: [
        "workflow": .string(workflowID), "step": .string(reference.rawValue),
        "decision": .string(decision.rawValue),
        "reason": .string(reason),
      ])
    return (entry, event)
  }
}
