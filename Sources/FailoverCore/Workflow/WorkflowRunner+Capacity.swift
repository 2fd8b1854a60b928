import Foundation

/// `ecs_scale`: before traffic moves, raise the receiving region's ECS service and wait for steady state; after a
/// failback, return the region traffic left to the count it had before the failover. The count found and the
/// count set are journaled before anything changes, so a resumed step neither loses the original count nor
/// updates twice (it reads the service first and updates only when the count differs).
extension WorkflowRunner {
  func raiseCapacity(
    _ spec: ECSScaleSpec, _ context: RunbookStepContext, entries: inout [StepJournalEntry]
  ) async throws -> (String, StepOutcome) {
    let capacity = try capacityPort()
    let failover = context.plan.plan
    var regions = failover.to.receivingRegions.filter { !failover.from.receivingRegions.contains($0) }
    if regions.isEmpty, let region = failover.toRegion { regions = [region] }
    var changes: [CapacityChange] = []
    for region in regions {
      var change = recorded(region, spec, restore: false, context, entries)
      if change == nil {
        let current = try await capacity.counts(region: region, cluster: spec.cluster, service: spec.service)
        var wanted = spec.desiredCount ?? current.desired
        if spec.desiredCount == nil, let failing = failover.fromRegion, failing != region {
          wanted = try await capacity.counts(region: failing, cluster: spec.cluster, service: spec.service)
            .desired
        }
        let target = max(current.desired, wanted)
        let planned = CapacityChange(
          region: region, cluster: spec.cluster, service: spec.service, before: current.desired,
          target: target)
        try await checkpoint(
          context,
          "ECS \(spec.cluster)/\(spec.service) in \(region): desired \(current.desired) → \(target).",
          .capacity(planned), entries: &entries)
        change = planned
      }
      guard var change else { continue }
      change.running = try await setAndSettle(change, capacity, context)
      changes.append(change)
    }
    let summary = changes.map {
      "\($0.region) \($0.cluster)/\($0.service) desired \($0.before) → \($0.target), running \($0.running ?? 0)"
    }
    guard let last = changes.last else {
      return ("No region gains traffic; nothing to scale.", .none)
    }
    return ("ECS at steady state: \(summary.joined(separator: "; ")).", .runbook(.capacity(last)))
  }

  func restoreCapacity(
    _ spec: ECSScaleSpec, _ context: RunbookStepContext, entries: inout [StepJournalEntry]
  ) async throws -> (String, StepOutcome) {
    let capacity = try capacityPort()
    let failover = context.plan.plan
    let regions = failover.from.receivingRegions.filter { !failover.to.receivingRegions.contains($0) }
    var restored: [CapacityChange] = []
    var notes: [String] = []
    for region in regions {
      var change = recorded(region, spec, restore: true, context, entries)
      if change == nil {
        guard let earlier = try await earlierRaise(region, spec, context) else {
          notes.append("\(region): no earlier scale-up is recorded, the count is left as is")
          continue
        }
        let current = try await capacity.counts(region: region, cluster: spec.cluster, service: spec.service)
        let planned = CapacityChange(
          region: region, cluster: spec.cluster, service: spec.service, before: current.desired,
          target: earlier.before, restore: true)
        try await checkpoint(
          context,
          "ECS \(spec.cluster)/\(spec.service) in \(region): back from \(current.desired) to \(earlier.before), "
            + "the count before the failover.", .capacity(planned), entries: &entries)
        change = planned
      }
      guard var change else { continue }
      let now = try await capacity.counts(region: region, cluster: spec.cluster, service: spec.service)
      if now.desired != change.target {
        try await capacity.setDesiredCount(
          change.target, region: region, cluster: spec.cluster, service: spec.service)
      }
      change.running = now.running
      restored.append(change)
      notes.append("\(region) \(spec.cluster)/\(spec.service) desired \(change.before) → \(change.target)")
    }
    let message =
      "ECS restored: " + (notes.isEmpty ? "nothing to restore" : notes.joined(separator: "; ")) + "."
    return (message, restored.last.map { .runbook(.capacity($0)) } ?? .none)
  }

  /// Sets the desired count when it differs, then polls until the running count reaches it or the step's
  /// timeout passes; returns the running count.
  private func setAndSettle(
    _ change: CapacityChange, _ capacity: any CapacityProvider, _ context: RunbookStepContext
  ) async throws -> Int {
    var counts = try await capacity.counts(
      region: change.region, cluster: change.cluster, service: change.service)
    if counts.desired != change.target {
      try await capacity.setDesiredCount(
        change.target, region: change.region, cluster: change.cluster, service: change.service)
    }
    let deadline = ports.clock.now.addingTimeInterval(context.step.timeout)
    let polls = Int((context.step.timeout / Self.runbookPollInterval).rounded(.up)) + 2
    for _ in 0..<polls {
      counts = try await capacity.counts(
        region: change.region, cluster: change.cluster, service: change.service)
      if counts.running >= change.target { return counts.running }
      let left = deadline.timeIntervalSince(ports.clock.now)
      if left <= 0 { break }
      try await pause(min(Self.runbookPollInterval, left))
    }
    throw RetryableStepError(
      "ECS \(change.cluster)/\(change.service) in \(change.region) runs \(counts.running) of \(change.target) "
        + "task(s) after \(MeasuredSeconds.text(context.step.timeout))")
  }

  /// The change this step journaled for a region, if it did.
  private func recorded(
    _ region: RegionID, _ spec: ECSScaleSpec, restore: Bool, _ context: RunbookStepContext,
    _ entries: [StepJournalEntry]
  ) -> CapacityChange? {
    var found: CapacityChange?
    for case .capacity(let change) in context.checkpoints(entries)
    where change.region == region && change.cluster == spec.cluster && change.service == spec.service
      && change.restore == restore
    {
      found = change
    }
    return found
  }

  /// The latest scale-up of this ECS service in this region by an earlier workflow of the service, unless a
  /// restore came after it.
  private func earlierRaise(
    _ region: RegionID, _ spec: ECSScaleSpec, _ context: RunbookStepContext
  ) async throws -> CapacityChange? {
    guard let history = ports.history else { return nil }
    let page = try await history.workflows(service: context.plan.plan.service, before: nil, limit: 50)
    for record in page.workflows where record.id != context.plan.id {
      guard let detail = try await history.workflow(id: record.id) else { continue }
      let changes = detail.entries.filter { $0.phase == .progress }.compactMap { entry -> CapacityChange? in
        if case .capacity(let change) = entry.detail.runbook, change.region == region,
          change.cluster == spec.cluster, change.service == spec.service
        {
          return change
        }
        return nil
      }
      guard let latest = changes.last else { continue }
      return latest.restore ? nil : latest
    }
    return nil
  }

  private func capacityPort() throws -> any CapacityProvider {
    guard let capacity = ports.capacity else { throw PermanentStepError("no ECS client is configured") }
    return capacity
  }
}
