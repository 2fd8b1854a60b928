import Foundation

/// What each step does, in plan order; the DNS steps are in `WorkflowRunner+DNSStepActions.swift`.
extension WorkflowRunner {
  /// How long checkTargetHealth waits for a target's first verdict, and how often it asks.
  static let unknownHealthWait = 30.0
  static let unknownHealthPoll = 0.5

  /// Does one attempt of a step: a sentence for the journal and what the step learned, or an error.
  func perform(
    _ step: WorkflowStep, plan: WorkflowPlan, facts: WorkflowFacts, timings: WorkflowTimings
  ) async throws -> (String, StepOutcome) {
    switch step {
    case .checkTargetHealth: try await checkTargetHealth(plan)
    case .notifyInitiated:
      try await notify(
        notification(.initiated, plan, reason: plan.plan.reason, timings), "Initiated notification delivered."
      )
    case .changeDNS: try await changeDNS(plan, facts: facts)
    case .waitForSync: try await waitForSync(facts: facts)
    case .verifyRecord: try await verifyRecord(plan, facts: facts)
    case .updateRoutingEndpoint: try await updateRoutingEndpoint(plan)
    case .publishMetrics: try await publishMetrics(plan, timings: timings)
    case .revertDNS: try await revertDNS(plan, facts: facts)
    case .runbook(let reference):
      throw PermanentStepError("the runbook step \(reference.rawValue) is not in the service's runbook")
    case .notifySucceeded:
      try await notify(
        notification(.succeeded, plan, reason: "Traffic now goes to \(plan.plan.to.summary).", timings),
        "Succeeded notification delivered.")
    }
  }

  /// Every region that will receive traffic must be able to (unless a person allowed otherwise).
  private func checkTargetHealth(_ plan: WorkflowPlan) async throws -> (String, StepOutcome) {
    var verdicts: [RegionHealthVerdict] = []
    for region in plan.plan.to.receivingRegions {
      var health = try await ports.health.health(service: plan.service.id, region: region)
      // Not yet known (a workflow resumed before the first probe round): wait for a verdict, bounded; a
      // target still unknown after that is retried with backoff like any transient failure.
      var waited = 0.0
      while health.status == .unknown && !plan.plan.allowsUnhealthyTarget && waited < Self.unknownHealthWait {
        try await ports.sleeper.sleep(seconds: Self.unknownHealthPoll)
        waited += Self.unknownHealthPoll
        health = try await ports.health.health(service: plan.service.id, region: region)
      }
      if health.status == .unknown && !plan.plan.allowsUnhealthyTarget {
        throw TargetHealthPending(region: region, reason: health.reason)
      }
      if !health.status.canReceiveTraffic && !plan.plan.allowsUnhealthyTarget {
        throw PermanentStepError("target \(region) is \(health.status.rawValue): \(health.reason)")
      }
      verdicts.append(RegionHealthVerdict(region: region, status: health.status))
    }
    let summary = verdicts.map { "\($0.region) \($0.status.rawValue)" }.joined(separator: ", ")
    return ("Target health: \(summary).", .targetHealth(verdicts))
  }

  private func notify(_ notification: FailoverNotification, _ sentence: String) async throws -> (
    String, StepOutcome
  ) {
    try await ports.notifier.notify(notification)
    return (sentence, .none)
  }

  /// `failover-health-check` mode: the routing endpoint answers 200 for the target; no DNS call.
  private func updateRoutingEndpoint(_ plan: WorkflowPlan) async throws -> (String, StepOutcome) {
    guard let endpoint = ports.routingEndpoint else {
      throw PermanentStepError("no routing endpoint publisher is configured for failover-health-check mode")
    }
    let target = plan.plan.to
    try await endpoint.publish(target)
    let regions = target.receivingRegions.map(\.rawValue).joined(separator: ", ")
    return ("The routing endpoint now answers 200 for \(regions).", .none)
  }

  private func publishMetrics(_ plan: WorkflowPlan, timings: WorkflowTimings) async throws -> (
    String, StepOutcome
  ) {
    guard let metrics = ports.metrics else {
      return (
        "No metrics destination is configured (no `aws` section and nothing else uses AWS): the workflow's "
          + "figures are on /metrics only.", .none
      )
    }
    let service = plan.service
    let now = ports.clock.now
    var data = [
      MetricDatum(
        name: "Failovers",
        dimensions: ["Service": service.id.rawValue, "Trigger": plan.plan.trigger.rawValue],
        value: 1, unit: "Count", timestamp: now)
    ]
    if let seconds = timings.secondsSinceStart["verified"] {
      data.append(
        MetricDatum(
          name: "FailoverSeconds", dimensions: ["Service": service.id.rawValue], value: seconds,
          unit: "Seconds", timestamp: now))
    }
    try await metrics.publish(namespace: metricsNamespace, data)
    return ("Published \(data.count) metric(s) to \(metricsNamespace).", .none)
  }

  /// The message on-call humans get for this workflow.
  func notification(
    _ kind: FailoverNotification.Kind, _ plan: WorkflowPlan, reason: String, _ timings: WorkflowTimings
  ) -> FailoverNotification {
    FailoverNotification(
      kind: kind, service: plan.plan.service.rawValue, fromRegion: plan.plan.from.activeRegion?.rawValue,
      toRegion: plan.plan.to.activeRegion?.rawValue, reason: reason, timings: timings.secondsSinceStart,
      at: ports.clock.now)
  }
}
