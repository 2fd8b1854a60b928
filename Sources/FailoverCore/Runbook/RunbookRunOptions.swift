/// How a workflow runs its runbook: as a real failover or as a drill. Kept in the journaled plan, so a resumed
/// workflow skips the same steps.
public struct RunbookRunOptions: Sendable, Hashable, Codable {
  /// The workflow is a drill: steps with `in_drills: skip` are journaled as skipped with the reason.
  public var drill: Bool

  public init(drill: Bool = false) {
    self.drill = drill
  }

  /// Why a step does not run in a workflow carrying out `plan` with these options; nil when it runs.
  public func skipReason(_ step: RunbookStep, plan: FailoverPlan, service: Service) -> String? {
    if drill && step.inDrills == .skip {
      let why = step.action.isOneWay ? " (it cannot be undone)" : ""
      return "Skipped in a drill: \(step.name) is `in_drills: skip`\(why)."
    }
    if case .approval = step.action, step.manualOnly, plan.trigger.isAutomatic {
      return "Skipped: \(step.name) is a manual-only approval and this failover is automatic."
    }
    if step.action.isOneWay, WorkflowStep.runs(.afterFailback, plan: plan, service: service) {
      let away = plan.from.summary
      return "Skipped: \(step.name) is one-way and this is a failback; failback never demotes, the database "
        + "promoted during the failover stays primary (traffic leaves \(away)). The runbook's approval step guards "
        + "this return."
    }
    return nil
  }
}
