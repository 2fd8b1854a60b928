import FailoverCore
import Foundation
import Prometheus
import Switchboard

extension SwitchboardMetrics: EngineObserver {
  static var workflowsTotal: MetricNameDescriptor {
    .switchboard(
      "workflows", unit: "total",
      help: "Failover workflows that ended, by service, trigger and outcome.")
  }
  static var workflowInterruptions: MetricNameDescriptor {
    .switchboard(
      "workflow_interruptions", unit: "total",
      help:
        "Workflows stopped before their end (they resume at the next start and are counted when they end).")
  }
  static var workflowDuration: MetricNameDescriptor {
    .switchboard(
      "workflow_duration", unit: "seconds",
      help: "Seconds from a workflow's start (or resume) to its end, by service and outcome.")
  }
  static var workflowMilestone: MetricNameDescriptor {
    .switchboard(
      "workflow_milestone", unit: "seconds",
      help:
        "Seconds from the first unhealthy observation (or the decision) to each milestone a workflow reached."
    )
  }
  static var runbookStepsTotal: MetricNameDescriptor {
    .switchboard(
      "runbook_steps", unit: "total",
      help:
        "Runbook steps of ended workflows, by service, step, kind and outcome (succeeded, failed, skipped, continued)."
    )
  }
  static var runbookStepDuration: MetricNameDescriptor {
    .switchboard(
      "runbook_step_duration", unit: "seconds",
      help: "Seconds from a runbook step's first start to its end, by service and step.")
  }
  /// Workflows wait for Route53 to reach INSYNC and for health to confirm: seconds to many minutes.
  static let workflowBuckets: [Double] = [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800]
  /// The milestones `WorkflowTimings` measures; anything else is ignored (bounded label values).
  static let milestones: Set<String> = ["decided", "dns_change_accepted", "in_sync", "verified", "finished"]

  /// Counts an ended workflow once, with its duration and the milestones it reached. An interrupted workflow has
  /// not ended (it resumes at the next start and is counted then): it counts as an interruption only.
  public func workflowFinished(_ workflow: WorkflowStatus) {
    let service = workflow.plan.service.rawValue
    if case .interrupted = workflow.state {
      registry.makeCounter(descriptor: Self.workflowInterruptions, labels: [("service", service)]).increment()
      return
    }
    let outcome = Self.outcome(workflow.state)
    registry.makeCounter(
      descriptor: Self.workflowsTotal,
      labels: [("service", service), ("trigger", workflow.plan.trigger.rawValue), ("outcome", outcome)]
    ).increment()
    if let finished = workflow.finishedAt {
      registry.makeValueHistogram(
        descriptor: Self.workflowDuration, labels: [("service", service), ("outcome", outcome)],
        buckets: Self.workflowBuckets
      ).record(max(0, finished.timeIntervalSince(workflow.startedAt)))
    }
    for step in workflow.runbook where step.outcome != "pending" {
      registry.makeCounter(
        descriptor: Self.runbookStepsTotal,
        labels: [("service", service), ("step", step.step), ("kind", step.kind), ("outcome", step.outcome)]
      ).increment()
      if let seconds = step.seconds, step.outcome != "skipped" {
        registry.makeValueHistogram(
          descriptor: Self.runbookStepDuration, labels: [("service", service), ("step", step.step)],
          buckets: Self.workflowBuckets
        ).record(max(0, seconds))
      }
    }
    for (milestone, seconds) in workflow.timings where Self.milestones.contains(milestone) {
      registry.makeValueHistogram(
        descriptor: Self.workflowMilestone, labels: [("service", service), ("milestone", milestone)],
        buckets: Self.workflowBuckets
      ).record(max(0, seconds))
    }
  }

  /// `succeeded` or `failed` (`running` and `interrupted` are not ends, but are named rather than hidden).
  static func outcome(_ state: WorkflowStatus.State) -> String {
    switch state {
    case .running: "running"
    case .succeeded: "succeeded"
    case .failed: "failed"
    case .interrupted: "interrupted"
    }
  }
}
