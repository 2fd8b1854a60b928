import Foundation

/// Runbook steps inside the workflow: one attempt of each kind. Checkpoints (`StepPhase.progress`) are journaled
/// before a step acts, so a resumed step reads what it recorded instead of acting twice.
extension WorkflowRunner {
  /// How often runbook steps poll (ECS steady state, approvals, database status), in seconds.
  static let runbookPollInterval = 1.0

  /// Does one attempt of a runbook step.
  func performRunbook(
    _ step: RunbookStep, _ reference: RunbookStepReference, index: Int, attempt: Int, plan: WorkflowPlan,
    entries: inout [StepJournalEntry]
  ) async throws -> (String, StepOutcome) {
    let context = RunbookStepContext(
      step: step, reference: reference, index: index, attempt: attempt, plan: plan)
    switch step.action {
    case .wait(let seconds): return try await wait(seconds, context, entries: entries)
    case .httpHook(let hook): return try await callHook(hook, context)
    case .approval(let approval): return try await awaitApproval(approval, context, entries: &entries)
    case .ecsScale(let spec):
      return reference.stage == .afterFailback
        ? try await restoreCapacity(spec, context, entries: &entries)
        : try await raiseCapacity(spec, context, entries: &entries)
    case .databasePromote(let spec): return try await promoteDatabase(spec, context, entries: &entries)
    }
  }

  /// A fixed pause; a resumed pause waits only what is left since the step first started.
  func wait(_ seconds: Double, _ context: RunbookStepContext, entries: [StepJournalEntry]) async throws -> (
    String, StepOutcome
  ) {
    let now = ports.clock.now
    let began = entries.first { $0.index == context.index && $0.phase == .started }?.at ?? now
    let remaining = max(0, seconds - now.timeIntervalSince(began))
    try await pause(remaining)
    return ("Waited \(MeasuredSeconds.text(seconds)).", .runbook(.waited(seconds: seconds)))
  }

  /// POSTs the workflow's context to the hook; 2xx continues, anything else is a failure (retried).
  func callHook(_ hook: HTTPHookSpec, _ context: RunbookStepContext) async throws -> (String, StepOutcome) {
    guard let hooks = ports.hooks else { throw PermanentStepError("no hook caller is configured") }
    let request = HookRequest(
      url: hook.url, body: try context.hookBody(), idempotencyKey: context.idempotencyKey,
      secretEnvironment: hook.secretEnvironment, timeout: context.step.timeout)
    let response = try await hooks.call(request)
    guard (200..<300).contains(response.status) else {
      throw RetryableStepError(
        "the hook \(hook.url) answered \(response.status)"
          + (response.body.isEmpty ? "" : ": \(response.body.prefix(200))"))
    }
    return ("The hook \(hook.url) answered \(response.status).", .runbook(.hook(response)))
  }

  /// Sleeps on the runner's sleeper; a cancellation interrupts the run (it resumes from the journal).
  func pause(_ seconds: Double) async throws {
    guard seconds > 0 else { return }
    do { try await ports.sleeper.sleep(seconds: seconds) } catch { throw Interruption(reason: "cancelled") }
  }

  /// Journals a checkpoint of the step (and its event, when `kind` is given).
  func checkpoint(
    _ context: RunbookStepContext, _ message: String, _ outcome: RunbookOutcome, kind: EventKind? = nil,
    entries: inout [StepJournalEntry]
  ) async throws {
    try await journal(
      context.plan, context.index, .runbook(context.reference), .progress, context.attempt, message,
      .runbook(outcome), kind: kind, entries: &entries)
  }
}

/// One attempt of one runbook step, with what it needs to know about its workflow.
struct RunbookStepContext: Sendable {
  var step: RunbookStep
  var reference: RunbookStepReference
  var index: Int
  var attempt: Int
  var plan: WorkflowPlan

  /// The same for every attempt of this step in this workflow, across restarts.
  var idempotencyKey: String { "\(plan.id)/\(reference.rawValue)" }

  /// The checkpoints this step journaled, oldest first.
  func checkpoints(_ entries: [StepJournalEntry]) -> [RunbookOutcome] {
    entries.filter { $0.index == index && $0.phase == .progress }.compactMap(\.detail.runbook)
  }

  /// The JSON a hook receives: the workflow and the step.
  func hookBody() throws -> Data {
    let failover = plan.plan
    let body: [String: JSONValue] = [
      "workflow_id": .string(plan.id), "service": .string(failover.service.rawValue),
      "from": .string(failover.from.summary), "to": .string(failover.to.summary),
      "from_region": failover.fromRegion.map { .string($0.rawValue) } ?? .null,
      "to_region": failover.toRegion.map { .string($0.rawValue) } ?? .null,
      "trigger": .string(failover.trigger.rawValue), "actor": .string(failover.actor),
      "reason": .string(failover.reason), "stage": .string(reference.stage.rawValue),
      "step": .string(reference.name), "attempt": .int(attempt),
      "drill": .bool(plan.runbookOptions?.drill ?? false), "idempotency_key": .string(idempotencyKey),
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(body)
  }
}

/// Seconds in words for journal messages.
enum MeasuredSeconds {
  static func text(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
  }
}
