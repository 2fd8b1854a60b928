import Foundation

/// `database_promote`: promote the receiving region's RDS read replica (or replica cluster) and wait until it is
/// available. One-way: failback never demotes. The request is journaled before it is made, so a resumed step
/// does not promote twice.
extension WorkflowRunner {
  func promoteDatabase(
    _ spec: DatabasePromoteSpec, _ context: RunbookStepContext, entries: inout [StepJournalEntry]
  ) async throws -> (String, StepOutcome) {
    guard let databases = ports.databases else { throw PermanentStepError("no RDS client is configured") }
    guard let region = context.plan.plan.toRegion else {
      throw PermanentStepError("database_promote needs one region to receive all traffic")
    }
    let kind = spec.isCluster ? "cluster" : "instance"
    let requested = context.checkpoints(entries).contains {
      if case .promoted = $0 { true } else { false }
    }
    var state = try await databases.state(
      region: region, identifier: spec.identifier, cluster: spec.isCluster)
    var promotedNow = requested
    // A promotion journaled but never made (a crash in between) leaves an available replica: make it.
    if state.isReplica && (!requested || state.status == "available") {
      if !requested {
        try await checkpoint(
          context, "Promoting the RDS \(kind) \(spec.identifier) in \(region) (one-way).",
          .promoted(
            DatabasePromotion(
              region: region, identifier: spec.identifier, promotedNow: true, status: state.status)),
          entries: &entries)
      }
      try await databases.promote(region: region, identifier: spec.identifier, cluster: spec.isCluster)
      promotedNow = true
    }
    let deadline = ports.clock.now.addingTimeInterval(context.step.timeout)
    let polls = Int((context.step.timeout / Self.runbookPollInterval).rounded(.up)) + 2
    for _ in 0..<polls {
      state = try await databases.state(region: region, identifier: spec.identifier, cluster: spec.isCluster)
      if !state.isReplica && state.status == "available" {
        let result = DatabasePromotion(
          region: region, identifier: spec.identifier, promotedNow: promotedNow, status: state.status)
        let how = promotedNow ? "promoted" : "was already a standalone primary"
        return (
          "The RDS \(kind) \(spec.identifier) in \(region) \(how) and is available.",
          .runbook(.promoted(result))
        )
      }
      let left = deadline.timeIntervalSince(ports.clock.now)
      if left <= 0 { break }
      try await pause(min(Self.runbookPollInterval, left))
    }
    throw RetryableStepError(
      "the RDS \(kind) \(spec.identifier) in \(region) is \(state.status)"
        + (state.isReplica ? " and still a replica" : "")
        + " after \(MeasuredSeconds.text(context.step.timeout))")
  }
}
