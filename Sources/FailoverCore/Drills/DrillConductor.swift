import Foundation

/// Runs drills: on every tick it starts due occurrences (or records why they are skipped) and moves each running
/// drill along: failover through the engine's journaled workflow, hold, abort checks, failback, report. People
/// manage drills through it (create, update before start, cancel, pause, resume, abort).
///
/// Everything it knows is in the store, so a restart resumes running drills where they stood.
public actor DrillConductor {
  /// What it reads and drives.
  public struct Ports: Sendable {
    /// Drills and runs.
    public var store: any DrillStore
    /// Workflow records (the measured times).
    public var workflows: any WorkflowQueries
    /// The control loop.
    public var engine: any DrillEngine
    /// CloudWatch alarm states, when configured.
    public var alarms: (any AlarmSource)?
    /// "Now".
    public var clock: any Clock

    /// The ports.
    public init(
      store: any DrillStore, workflows: any WorkflowQueries, engine: any DrillEngine,
      alarms: (any AlarmSource)?,
      clock: any Clock
    ) {
      self.store = store
      self.workflows = workflows
      self.engine = engine
      self.alarms = alarms
      self.clock = clock
    }
  }

  let ports: Ports
  /// The configuration's defaults (replaced at reloads).
  public var defaults: DrillDefaults
  var abortRequests: [String: DrillCheck] = [:]
  private var makeID: @Sendable () -> String
  let observer: (any DrillObserver)?

  /// A conductor; `makeID` names new drills and runs; `observer` hears of every run that ends.
  public init(
    ports: Ports, defaults: DrillDefaults = DrillDefaults(),
    makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
    observer: (any DrillObserver)? = nil
  ) {
    self.ports = ports
    self.defaults = defaults
    self.makeID = makeID
    self.observer = observer
  }

  /// Replaces the defaults (a configuration reload).
  public func setDefaults(_ defaults: DrillDefaults) { self.defaults = defaults }

  private var busy = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// Runs `body` alone: a tick and people's requests never interleave at their suspension points, so neither
  /// saves a drill or run the other has just changed.
  private func exclusive<T>(_ body: () async throws -> T) async throws -> T {
    while busy { await withCheckedContinuation { waiters.append($0) } }
    busy = true
    defer {
      busy = false
      if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
    return try await body()
  }

  // MARK: The tick

  /// One round: start (or skip) every due occurrence, then move every running drill along.
  public func tick() async throws {
    try await exclusive {
      let now = ports.clock.now
      let running = try await ports.store.runningDrillRuns()
      for var drill in try await ports.store.drills() where !drill.state.isFinal {
        guard let due = drill.nextRunAt, due <= now else { continue }
        // Occurrences missed while the process was down are not caught up one by one: the next is after now.
        drill.nextRunAt = drill.schedule.next(after: max(due, now))
        drill.updatedAt = now
        let run = try await begin(drill, occurrence: due, running: running, at: now)
        if drill.nextRunAt == nil {
          drill.state = run.state == .running ? .running : run.state
          drill.stateReason = run.reason
        }
        try await ports.store.saveDrill(drill, events: [])
      }
      for run in try await ports.store.runningDrillRuns() where run.mode == .live {
        try await advance(run, at: ports.clock.now)
      }
    }
  }

  /// Starts a run for `occurrence`, or records it skipped with the reason.
  private func begin(_ drill: Drill, occurrence: Date, running: [DrillRun], at now: Date) async throws
    -> DrillRun
  {
    var run = DrillRun(id: makeID(), drill: drill, scheduledAt: occurrence, at: now)
    let late = now.timeIntervalSince(occurrence)
    let rails = drill.guardRails.merged(with: defaults.guardRails)
    let calendar = DrillCalendar(rails: rails, zone: drill.schedule.timeZone)
    if drill.paused {
      return try await skip(run, "The schedule is paused.", drill: drill)
    }
    if late > defaults.missedStartDeadline {
      return try await skip(
        run,
        "The start was missed by \(Int(late)) s, beyond the missed-start deadline of "
          + "\(Int(defaults.missedStartDeadline)) s; a drill never runs that late.", drill: drill)
    }
    if running.contains(where: { $0.drillID == drill.id }) {
      return try await skip(run, "The previous run of this drill is still running.", drill: drill)
    }
    if let refusal = calendar.refusal(start: now, end: drill.slot(at: now).end) {
      run.checks.append(DrillCheck(name: "calendar", passed: false, detail: refusal, at: now))
      return try await skip(run, refusal, drill: drill)
    }
    run.checks.append(
      DrillCheck(name: "calendar", passed: true, detail: "No blocked date or window.", at: now))
    return try await start(run, drill: drill, rails: rails, running: running, at: now)
  }

  func skip(_ run: DrillRun, _ reason: String, drill: Drill) async throws -> DrillRun {
    var run = run
    run.end(.skipped, reason, at: run.startedAt)
    try await ports.store.saveRun(
      run,
      events: [
        event(
          .drillSkipped, drill, actor: Event.automaticActor,
          "Drill \(drill.id)'s run for \(Event.timestamp(run.scheduledAt)) was skipped: \(reason)", run: run,
          at: run.startedAt)
      ])
    observer?.drillRunEnded(run)
    return run
  }

  // MARK: People's requests

  /// Validates and stores a new drill.
  public func create(_ draft: DrillDraft, actor: String, reason: String) async throws -> Drill {
    try await exclusive {
      let now = ports.clock.now
      let id = makeID()
      let (services, routing) = await ports.engine.drillServices()
      _ = try draft.validate(
        services: services, routing: routing, others: try await ports.store.drills(), now: now, id: id)
      let drill = Drill(
        id: id, subject: draft.subject, targetRegion: draft.targetRegion, mode: draft.mode,
        holdSeconds: draft.holdSeconds, objectiveSeconds: draft.objectiveSeconds, schedule: draft.schedule,
        guardRails: draft.guardRails, createdBy: actor, reason: reason, createdAt: now,
        nextRunAt: draft.schedule.next(after: now))
      try await ports.store.saveDrill(
        drill,
        events: [event(.drillCreated, drill, actor: actor, "\(actor) scheduled drill \(drill.id): \(reason)")]
      )
      return drill
    }
  }

  /// Replaces a drill's definition; refused once it has started running.
  public func update(id: String, _ draft: DrillDraft, actor: String, reason: String) async throws -> Drill {
    try await exclusive {
      var drill = try await find(id)
      let runs = try await ports.store.drillRuns(drillID: id, limit: 1)
      guard drill.state == .scheduled, runs.isEmpty else {
        throw DrillConflict(
          "Drill \(id) has already started (\(drill.state.rawValue)); cancel it and create another.")
      }
      let now = ports.clock.now
      let (services, routing) = await ports.engine.drillServices()
      _ = try draft.validate(
        services: services, routing: routing, others: try await ports.store.drills(), now: now, id: id)
      drill.subject = draft.subject
      drill.targetRegion = draft.targetRegion
      drill.mode = draft.mode
      drill.holdSeconds = draft.holdSeconds
      drill.objectiveSeconds = draft.objectiveSeconds
      drill.schedule = draft.schedule
      drill.guardRails = draft.guardRails
      drill.nextRunAt = draft.schedule.next(after: now)
      drill.updatedAt = now
      try await ports.store.saveDrill(
        drill, events: [event(.drillUpdated, drill, actor: actor, "\(actor) changed drill \(id): \(reason)")])
      return drill
    }
  }

  /// Cancels a drill's future runs (a running run goes on; abort it to stop it).
  public func cancel(id: String, actor: String, reason: String) async throws -> Drill {
    try await exclusive {
      var drill = try await find(id)
      guard !drill.state.isFinal else {
        throw DrillConflict(
          "Drill \(id) has already ended (\(drill.state.rawValue)); there is nothing to cancel.")
      }
      drill.state = .cancelled
      drill.stateReason = "Cancelled by \(actor): \(reason)"
      drill.nextRunAt = nil
      drill.updatedAt = ports.clock.now
      try await ports.store.saveDrill(
        drill,
        events: [event(.drillCancelled, drill, actor: actor, "\(actor) cancelled drill \(id): \(reason)")])
      return drill
    }
  }

  /// Pauses or resumes a schedule; occurrences while paused are skipped and recorded.
  public func setPaused(id: String, _ paused: Bool, actor: String, reason: String) async throws -> Drill {
    try await exclusive {
      var drill = try await find(id)
      guard !drill.state.isFinal else {
        throw DrillConflict(
          "Drill \(id) has already ended (\(drill.state.rawValue)); it cannot be paused or resumed.")
      }
      guard drill.paused != paused else { return drill }
      let now = ports.clock.now
      drill.paused = paused
      drill.updatedAt = now
      if !paused, let next = drill.nextRunAt, next < now { drill.nextRunAt = drill.schedule.next(after: now) }
      let verb = paused ? "paused" : "resumed"
      try await ports.store.saveDrill(
        drill,
        events: [
          event(
            paused ? .drillPaused : .drillResumed, drill, actor: actor,
            "\(actor) \(verb) drill \(id): \(reason)")
        ])
      return drill
    }
  }

  /// Asks a running drill to stop and fail back at once (at the next tick).
  public func abort(id: String, actor: String, reason: String) async throws -> DrillRun {
    try await exclusive {
      let drill = try await find(id)
      guard let run = try await ports.store.runningDrillRuns().first(where: { $0.drillID == id }) else {
        throw DrillConflict("Drill \(id) is not running; there is nothing to abort.")
      }
      let now = ports.clock.now
      let check = DrillCheck(
        name: "operator_abort", passed: false, detail: "\(actor) aborted the drill: \(reason)", at: now)
      abortRequests[run.id] = check
      try await ports.store.saveRun(
        run,
        events: [
          event(
            .drillAbortRequested, drill, actor: actor, "\(actor) aborted drill \(id): \(reason)", run: run)
        ])
      try await advance(run, at: now)
      return try await ports.store.drillRun(id: run.id) ?? run
    }
  }

  private func find(_ id: String) async throws -> Drill {
    guard let drill = try await ports.store.drill(id: id) else {
      throw DrillNotFound("There is no drill \(id).")
    }
    return drill
  }

  func event(
    _ kind: EventKind, _ drill: Drill, actor: String, _ message: String, run: DrillRun? = nil, at: Date? = nil
  ) -> Event {
    var details: [String: JSONValue] = ["drill_id": .string(drill.id), "mode": .string(drill.mode.rawValue)]
    if let run {
      details["run_id"] = .string(run.id)
      details["state"] = .string(run.state.rawValue)
      // The report's verdict, in the hash chain with the run's end.
      if let met = run.objectiveMet { details["objective_met"] = .bool(met) }
      var recovery: [String: JSONValue] = [:]
      for move in run.moves {
        if let seconds = move.failover?.recoverySeconds { recovery[move.service.rawValue] = .double(seconds) }
      }
      if !recovery.isEmpty { details["recovery_seconds"] = .object(recovery) }
      if let check = run.abortedBy { details["aborted_by"] = .string(check.name) }
    }
    let scope: EventScope =
      switch drill.subject {
      case .service(let id): .service(id)
      case .region(let id): .region(id)
      }
    return Event(
      kind: kind, scope: scope, actor: actor, at: at ?? ports.clock.now, message: message, details: details)
  }
}

/// A drill request that conflicts with the drill's state (HTTP 409).
public struct DrillConflict: Error, Sendable, CustomStringConvertible {
  /// What conflicts, in a sentence.
  public var message: String
  /// A conflict.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// An unknown drill (HTTP 404).
public struct DrillNotFound: Error, Sendable, CustomStringConvertible {
  /// Which, in a sentence.
  public var message: String
  /// Not found.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
