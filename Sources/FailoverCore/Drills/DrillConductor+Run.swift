import Foundation

extension DrillConductor {
  /// Checks the blocking guard rails and either skips the run or begins it: a dry run records the plan, verdicts
  /// and predicted times and ends; a live run starts a failover workflow per service.
  func start(
    _ run: DrillRun, drill: Drill, rails: DrillGuardRails, running: [DrillRun], at now: Date
  ) async throws -> DrillRun {
    var run = run
    let (services, routing) = await ports.engine.drillServices()
    let moved = drill.subject.services(in: services, routing: routing, to: drill.targetRegion)
    guard !moved.isEmpty else {
      return try await skip(
        run, "No service of \(drill.subject) has its traffic where the drill would move it from.",
        drill: drill)
    }
    let readings = await readAlarms(rails.blockingAlarms)
    var otherDrills: [ServiceID: String] = [:]
    for other in running where other.drillID != drill.id {
      for move in other.moves { otherDrills[move.service] = other.drillID }
    }
    for service in moved {
      guard
        let situation = await ports.engine.drillSituation(service: service.id, target: drill.targetRegion),
        let from = situation.activeRegion ?? situation.primary
      else { continue }
      run.checks += DrillGuard.blockingChecks(
        situation, target: drill.targetRegion, alarms: rails.blockingAlarms, readings: readings,
        otherDrill: otherDrills[service.id], at: now)
      var move = DrillMove(service: service.id, fromRegion: from, toRegion: drill.targetRegion)
      if drill.mode == .dryRun {
        move.predictedRecoverySeconds = try await lastRecovery(service.id)
        run.note("verdict", "\(service.id): \(situation.verdict)", at: now)
      }
      run.moves.append(move)
      run.stepsSkippedInDrills += Self.skippedInDrills(service)
    }
    let failed = run.checks.filter { !$0.passed }
    run.note(
      "checks", failed.isEmpty ? "Every blocking check passed." : failed.map(\.detail).joined(separator: " "),
      at: now)
    if drill.mode == .dryRun {
      let plan = run.moves.map { "\($0.service): \($0.fromRegion) → \($0.toRegion)" }.joined(separator: "; ")
      run.note("plan", "Would move \(plan), hold \(Int(drill.holdSeconds)) s, then fail back.", at: now)
      if failed.isEmpty {
        run.end(.succeeded, "Dry run: every check passed; nothing was moved.", at: now)
      } else {
        run.end(
          .skipped, "Dry run: a live run would be skipped: " + failed.map(\.detail).joined(separator: " "),
          at: now)
      }
      try await ports.store.saveRun(
        run,
        events: [
          event(
            .drillFinished, drill, actor: Event.automaticActor, "Dry run of drill \(drill.id): \(run.reason)",
            run: run)
        ])
      observer?.drillRunEnded(run)
      return run
    }
    guard failed.isEmpty else {
      return try await skip(run, failed.map(\.detail).joined(separator: " "), drill: drill)
    }
    try await ports.store.saveRun(
      run,
      events: [
        event(.drillStarted, drill, actor: Event.automaticActor, "Drill \(drill.id) started.", run: run)
      ])
    for index in run.moves.indices {
      let move = run.moves[index]
      do {
        let id = try await ports.engine.drillMove(
          service: move.service, to: move.toRegion, actor: "drill:\(drill.id)",
          reason: "drill \(drill.id) (\(drill.reason))", failback: false)
        run.moves[index].failover = DrillLeg(workflowID: id, decidedAt: now)
        run.note(
          "failover_started", "\(move.service): workflow \(id) moves traffic to \(move.toRegion).", at: now)
      } catch {
        run.note("failover_refused", "\(move.service): \(error)", at: now)
        run.closingState = .failed
        run.closingReason = "The failover of \(move.service) was refused: \(error)"
        break
      }
    }
    if run.closingState != nil { try await beginFailback(&run, at: now) }
    try await ports.store.saveRun(run, events: [])
    return run
  }

  /// The runbook steps of `service` that a drill leaves out (`in_drills: skip`), each with why, as the report
  /// lists them; the workflows journal the same steps as skipped.
  static func skippedInDrills(_ service: Service) -> [String] {
    guard let runbook = service.runbook else { return [] }
    let stages: [(String, [RunbookStep])] = [
      ("before_traffic", runbook.beforeTraffic), ("after_traffic", runbook.afterTraffic),
      ("after_failback", runbook.afterFailback),
    ]
    return stages.flatMap { stage, steps in
      steps.filter { $0.inDrills == .skip }.map { step in
        let why = step.action.isOneWay ? ", one-way: it cannot be undone" : ""
        return "\(service.id) \(stage)/\(step.name) (\(step.action.kind)): skipped, `in_drills: skip`\(why)."
      }
    }
  }

  /// Moves a live run along: measure finished workflows, check the abort rails, end the hold, fail back, finish.
  func advance(_ run: DrillRun, at now: Date) async throws {
    var run = run
    guard let drill = try await ports.store.drill(id: run.drillID) else { return }
    let before = run
    try await measure(&run)
    if run.phase == .failingOver || run.phase == .holding, run.closingState == nil {
      if let abort = try await abortCheck(run, drill: drill, at: now) {
        run.checks.append(abort)
        run.abortedBy = abort
        run.closingState =
          abort.name == "operator_abort" || abort.name.hasPrefix("alarm:") ? .aborted : .failed
        run.closingReason = "Aborted: \(abort.detail)"
        run.note("aborted", abort.detail, at: now)
        try await beginFailback(&run, at: now)
      }
    }
    switch run.phase {
    case .failingOver:
      let legs = run.moves.compactMap(\.failover)
      if legs.contains(where: { $0.outcome == "failed" }) {
        run.closingState = .failed
        run.closingReason = "A failover workflow failed; traffic moves back."
        try await beginFailback(&run, at: now)
      } else if !legs.isEmpty, legs.allSatisfy({ $0.outcome == "succeeded" }) {
        run.phase = .holding
        // The hold counts from the moment traffic was verified in the target, not from this tick.
        let verified = legs.compactMap(\.verifiedAt).max() ?? now
        run.holdEndsAt = min(verified, now).addingTimeInterval(drill.holdSeconds)
        run.note(
          "hold_started", "Traffic is in \(drill.targetRegion); holding \(Int(drill.holdSeconds)) s.", at: now
        )
      }
    case .holding:
      if let end = run.holdEndsAt, now >= end {
        run.note("hold_ended", "The hold of \(Int(drill.holdSeconds)) s is over.", at: now)
        try await beginFailback(&run, at: now)
      }
    case .failingBack:
      try await retryRefusedFailbacks(&run, at: now)
      let legs = run.moves.map(\.failback)
      if legs.allSatisfy({ $0?.outcome != nil }) {
        let failedBack = legs.allSatisfy { $0?.outcome == "succeeded" }
        let state = failedBack ? (run.closingState ?? .succeeded) : .failed
        var reason = run.closingReason ?? "Traffic moved out, held and moved back."
        if !failedBack {
          reason += " The failback failed: traffic stays in the target; look at the workflow."
        }
        if state == .succeeded, let met = objectiveVerdict(run) { reason += met }
        run.end(state, reason, at: now)
        abortRequests[run.id] = nil
        try await finish(run, drill: drill)
        return
      }
    case .done:
      break
    }
    if run != before { try await ports.store.saveRun(run, events: []) }
  }

  private func objectiveVerdict(_ run: DrillRun) -> String? {
    let times = run.moves.compactMap { $0.failover?.recoverySeconds }
    guard let worst = times.max() else { return nil }
    let verdict = worst <= run.objectiveSeconds ? "met" : "missed"
    return
      " Recovery took \(String(format: "%.1f", worst)) s; the objective of \(Int(run.objectiveSeconds)) s was \(verdict)."
  }

  private func finish(_ run: DrillRun, drill: Drill) async throws {
    defer { observer?.drillRunEnded(run) }
    try await ports.store.saveRun(
      run,
      events: [
        event(
          .drillFinished, drill, actor: Event.automaticActor,
          "Drill \(drill.id) \(run.state.rawValue): \(run.reason)", run: run)
      ])
    if var latest = try await ports.store.drill(id: drill.id), latest.nextRunAt == nil, !latest.state.isFinal
    {
      latest.state = run.state
      latest.stateReason = run.reason
      latest.updatedAt = run.endedAt ?? latest.updatedAt
      try await ports.store.saveDrill(latest, events: [])
    }
  }

  /// Starts the failback of every service whose failover began (at once, whatever the phase).
  func beginFailback(_ run: inout DrillRun, at now: Date) async throws {
    run.phase = .failingBack
    for index in run.moves.indices where run.moves[index].failover != nil && run.moves[index].failback == nil
    {
      try await failBack(&run, index, at: now)
    }
    for index in run.moves.indices where run.moves[index].failover == nil {
      var leg = DrillLeg(workflowID: "", decidedAt: now)
      leg.outcome = "succeeded"
      run.moves[index].failback = leg  // never moved: nothing to bring back
    }
  }

  private func failBack(_ run: inout DrillRun, _ index: Int, at now: Date) async throws {
    let move = run.moves[index]
    // Traffic already back (automatic failback, an operator) once the failover ended: nothing left to move.
    if move.failover?.outcome != nil,
      await ports.engine.drillSituation(service: move.service, target: move.fromRegion)?.activeRegion
        == move.fromRegion
    {
      var leg = DrillLeg(workflowID: "", decidedAt: now)
      leg.outcome = "succeeded"
      run.moves[index].failback = leg
      run.note(
        "failback_not_needed", "\(move.service): traffic is already back in \(move.fromRegion).", at: now)
      return
    }
    do {
      let id = try await ports.engine.drillMove(
        service: move.service, to: move.fromRegion, actor: "drill:\(run.drillID)",
        reason: "failback at the end of drill \(run.drillID)", failback: true)
      run.moves[index].failback = DrillLeg(workflowID: id, decidedAt: now)
      run.note(
        "failback_started", "\(move.service): workflow \(id) moves traffic back to \(move.fromRegion).",
        at: now)
    } catch {
      if !run.timeline.contains(where: {
        $0.step == "failback_refused" && $0.detail.hasPrefix("\(move.service):")
      }) {
        run.note("failback_refused", "\(move.service): \(error) It is retried at every tick.", at: now)
      }
    }
  }

  private func retryRefusedFailbacks(_ run: inout DrillRun, at now: Date) async throws {
    for index in run.moves.indices where run.moves[index].failback == nil {
      try await failBack(&run, index, at: now)
    }
  }

  /// Copies the journal's measured times into every leg and notes when a workflow ends.
  private func measure(_ run: inout DrillRun) async throws {
    for index in run.moves.indices {
      for leg in [\DrillMove.failover, \DrillMove.failback] {
        guard var current = run.moves[index][keyPath: leg], current.outcome == nil,
          !current.workflowID.isEmpty,
          let detail = try await ports.workflows.workflow(id: current.workflowID)
        else { continue }
        current.measure(detail.record.timings)
        run.moves[index][keyPath: leg] = current
        guard detail.record.state != .running else { continue }
        current.outcome = detail.record.state.rawValue
        run.moves[index][keyPath: leg] = current
        let name = leg == \DrillMove.failover ? "failover" : "failback"
        let at = detail.record.finishedAt ?? ports.clock.now
        run.note(
          "\(name)_\(current.outcome ?? "")",
          "\(run.moves[index].service): workflow \(current.workflowID) \(current.outcome ?? "")"
            + (current.recoverySeconds.map { String(format: " (decision → verified %.1f s)", $0) } ?? "")
            + ".",
          at: at)
      }
    }
  }

  private func abortCheck(_ run: DrillRun, drill: Drill, at now: Date) async throws -> DrillCheck? {
    if let request = abortRequests[run.id] { return request }
    let rails = drill.guardRails.merged(with: defaults.guardRails)
    let readings = await readAlarms(rails.outcomeAlarms)
    for move in run.moves where move.failover != nil {
      guard let situation = await ports.engine.drillSituation(service: move.service, target: move.toRegion)
      else {
        continue
      }
      if let check = DrillGuard.abortCheck(
        situation, target: move.toRegion, outcomeAlarms: rails.outcomeAlarms, readings: readings, at: now)
      {
        return check
      }
    }
    return nil
  }

  /// Reads the named alarms; nil when they cannot be read (no source, or an error).
  func readAlarms(_ names: [String]) async -> [String: AlarmReading]? {
    guard !names.isEmpty else { return [:] }
    guard let alarms = ports.alarms else { return nil }
    return try? await alarms.alarmStates(names: names)
  }

  /// The last measured recovery time of a service (decision → verified), from its latest succeeded workflow.
  func lastRecovery(_ service: ServiceID) async throws -> Double? {
    let page = try await ports.workflows.workflows(service: service, before: nil, limit: 20)
    for record in page.workflows where record.state == .succeeded {
      if let timings = record.timings, let verified = timings.verifiedAt {
        return verified.timeIntervalSince(timings.decidedAt)
      }
    }
    return nil
  }
}
