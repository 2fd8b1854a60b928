import FailoverCore
import Foundation
import Logging

/// Launches workflows, resumes the ones a restart interrupted, and keeps track of each until it ends: one task per
/// service, one workflow after the other within it.
///
/// It lives on the engine's actor (a value the engine owns): the engine launches through it, and its tasks report
/// back through the `report` call-back, which the engine applies on its actor so "in flight" and routing change
/// together.
struct WorkflowSupervisor {
  /// What a workflow task tells the engine.
  enum Report: Sendable {
    /// The next of a task's workflows begins.
    case running(WorkflowPlan)
    /// The journal could not be written; the task retries from the journal after a pause.
    case interrupted(WorkflowPlan, WorkflowResult)
    /// A workflow ended (nil result: stopped before it ran).
    case ended(WorkflowPlan, WorkflowResult?)
    /// The task finished all its workflows.
    case taskEnded(UUID)
  }

  /// Workflows in flight, per service.
  private(set) var inFlight: [ServiceID: WorkflowStatus] = [:]
  /// The last finished workflow, per service.
  private(set) var lastWorkflow: [ServiceID: WorkflowStatus] = [:]
  private var tasks: [UUID: Task<Void, Never>] = [:]
  private let logger = Logger(label: "switchboard.engine")

  /// Runs `plans` (of one service) one after the other in a task; `events`, when given, begin the first as a new
  /// workflow, otherwise each resumes from its journal. A workflow whose journal cannot be written is retried every
  /// `retry` seconds until it ends or the task is cancelled.
  mutating func launch(
    _ plans: [WorkflowPlan], events: [Event]?, runner: WorkflowRunner, sleeper: any Sleeper, retry: Double,
    at now: Date, report: @escaping @Sendable (Report) async -> Void
  ) {
    guard let first = plans.first else { return }
    markRunning(first, at: now)
    let taskID = UUID()
    tasks[taskID] = Task {
      for (index, plan) in plans.enumerated() {
        if index > 0 { await report(.running(plan)) }
        var result: WorkflowResult?
        if index == 0, let events {
          result = await runner.start(plan, events: events)
        } else {
          result = await runner.resume(plan)
        }
        while let current = result, current.outcome == nil, !Task.isCancelled {
          await report(.interrupted(plan, current))
          do { try await sleeper.sleep(seconds: retry) } catch { break }
          result = await runner.resume(plan)
        }
        await report(.ended(plan, result))
        if Task.isCancelled { break }
      }
      await report(.taskEnded(taskID))
    }
  }

  /// Records that a workflow runs now.
  mutating func markRunning(_ plan: WorkflowPlan, at now: Date) {
    inFlight[plan.plan.service] = WorkflowStatus(
      id: plan.id, plan: plan.plan, startedAt: now, state: .running, finishedAt: nil, timings: [:])
  }

  /// A follower's view: the workflows the journal holds in flight (the leader runs them), replacing earlier ones.
  mutating func mirror(_ plans: [WorkflowPlan], at now: Date) {
    var mirrored: [ServiceID: WorkflowStatus] = [:]
    for plan in plans {
      mirrored[plan.plan.service] =
        inFlight[plan.plan.service].flatMap { $0.id == plan.id ? $0 : nil }
        ?? WorkflowStatus(
          id: plan.id, plan: plan.plan, startedAt: now, state: .running, finishedAt: nil, timings: [:])
    }
    inFlight = mirrored
  }

  /// Records that a workflow waits for its journal.
  mutating func markInterrupted(_ plan: WorkflowPlan, _ result: WorkflowResult) {
    let reason = result.interruption ?? "the journal could not be written"
    logger.error("\(reason)")
    inFlight[plan.plan.service]?.state = .interrupted(reason: reason)
  }

  /// Records a workflow's end; returns its final status (nil when it was not the one in flight).
  mutating func finish(_ plan: WorkflowPlan, _ result: WorkflowResult?, at now: Date) -> WorkflowStatus? {
    let service = plan.plan.service
    guard var status = inFlight[service], status.id == plan.id else { return nil }
    inFlight[service] = nil
    status.finishedAt = now
    status.timings = result?.timings.secondsSinceStart ?? [:]
    status.runbook = result?.runbook ?? []
    switch result?.outcome {
    case .succeeded:
      status.state = .succeeded
    case .failed(let step, let reason):
      status.state = .failed(reason: "\(step.rawValue): \(reason)")
    case nil:
      status.state = .interrupted(
        reason: result?.interruption ?? "stopped before its end; it resumes at the next start")
    }
    lastWorkflow[service] = status
    return status
  }

  /// Forgets a task that ended.
  mutating func taskEnded(_ id: UUID) { tasks[id] = nil }

  /// A task still running, if any (to wait for).
  var anyTask: Task<Void, Never>? { tasks.values.first }

  /// Every running task (to cancel and wait for at a stop).
  var allTasks: [Task<Void, Never>] { Array(tasks.values) }
}
