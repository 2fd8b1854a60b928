import Foundation

/// A runbook step as the what-if plan and `explain` show it: when it runs, whether it is skipped, and how long it
/// is predicted to take.
public struct RunbookPrediction: Sendable, Hashable, Codable {
  /// When it runs.
  public var stage: RunbookStage
  /// Its name.
  public var name: String
  /// Its kind (`ecs_scale`, ...).
  public var kind: String
  /// The last measured duration when there is one, else its timeout.
  public var predictedSeconds: Double
  /// Why it will be skipped, when it will.
  public var skipReason: String?
  /// What failback does about it, for one-way steps.
  public var note: String?

  public init(
    stage: RunbookStage, name: String, kind: String, predictedSeconds: Double, skipReason: String? = nil,
    note: String? = nil
  ) {
    self.stage = stage
    self.name = name
    self.kind = kind
    self.predictedSeconds = predictedSeconds
    self.skipReason = skipReason
    self.note = note
  }

  /// The runbook steps a move would run, in order, with their predictions; `measured` holds the last measured
  /// duration per step reference (`runbook:<stage>:<name>`).
  public static func predict(
    _ plan: FailoverPlan, service: Service, options: RunbookRunOptions = RunbookRunOptions(),
    measured: [String: Double] = [:]
  ) -> [RunbookPrediction] {
    let runbook = service.runbook ?? Runbook()
    return RunbookStage.allCases.filter { WorkflowStep.runs($0, plan: plan, service: service) }.flatMap {
      stage in
      runbook.steps(stage).map { step in
        let reference = RunbookStepReference(stage: stage, name: step.name)
        let skip = options.skipReason(step, plan: plan, service: service)
        return RunbookPrediction(
          stage: stage, name: step.name, kind: step.action.kind,
          predictedSeconds: skip != nil ? 0 : measured[reference.rawValue] ?? step.timeout, skipReason: skip,
          note: step.action.isOneWay
            ? "One-way: failback never demotes it; returning to a region whose database was promoted away "
              + "needs an approval step." : nil)
      }
    }
  }
}

extension RunbookPrediction {
  /// Every configured step of a service, all stages, with its prediction (for `explain`).
  public static func configured(_ service: Service, measured: [String: Double] = [:]) -> [RunbookPrediction] {
    let runbook = service.runbook ?? Runbook()
    return RunbookStage.allCases.flatMap { stage in
      runbook.steps(stage).map { step in
        let reference = RunbookStepReference(stage: stage, name: step.name)
        return RunbookPrediction(
          stage: stage, name: step.name, kind: step.action.kind,
          predictedSeconds: measured[reference.rawValue] ?? step.timeout,
          note: step.action.isOneWay ? "One-way: failback never demotes it." : nil)
      }
    }
  }

  /// The duration of each runbook step that finished (not skipped) in these journal entries, from its first
  /// start to its finish; later entries win, so pass workflows oldest first.
  public static func measuredDurations(_ entries: [StepJournalEntry]) -> [String: Double] {
    var started: [String: Date] = [:]
    var result: [String: Double] = [:]
    for entry in entries {
      guard let reference = entry.step.runbookReference else { continue }
      let key = "\(entry.workflowID)#\(reference.rawValue)"
      if entry.phase == .started, started[key] == nil { started[key] = entry.at }
      if entry.phase == .finished, let begin = started[key] {
        if case .skipped = entry.detail.runbook { continue }
        result[reference.rawValue] = entry.at.timeIntervalSince(begin)
      }
    }
    return result
  }
}

extension RunbookPrediction {
  /// The last measured duration of each runbook step of a service, read from its 20 latest workflows (empty when
  /// the store cannot say).
  public static func measured(_ service: ServiceID, store: any WorkflowQueries) async -> [String: Double] {
    guard let page = try? await store.workflows(service: service, before: nil, limit: 20) else { return [:] }
    var entries: [StepJournalEntry] = []
    for record in page.workflows.reversed() {
      entries += (try? await store.workflow(id: record.id)?.entries) ?? []
    }
    return measuredDurations(entries)
  }
}
