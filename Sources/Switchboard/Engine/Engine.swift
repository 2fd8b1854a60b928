import Configuration
import FailoverCore
import Foundation
import Logging

/// The control loop: observations in, decisions out.
///
/// Probes (`Prober`) and the alarm poller (`AlarmPoller`) drop observations in the inbox. Every tick drains them into
/// the health model, expires overrides, and asks the decider about each service without a workflow in flight: an
/// initiate hands a journaled workflow to the supervisor (`WorkflowSupervisor`), a block is recorded once per
/// episode and notified. People act through `createOverride`, `clearOverride` and `requestManualFailover`; the API
/// reads `snapshot()` and `dryRun` (`EngineReadModel`) and listens to `changes()` (`ChangeFanOut`).
public actor Engine {
  let ports: EnginePorts
  let clock: any Clock
  /// How the engine paces itself (fixed for the process's life).
  public let settings: EngineSettings
  let logger = Logger(label: "switchboard.engine")
  private let inbox = ObservationInbox()
  private let healthSource = EngineHealthSource()
  let fanOut = ChangeFanOut()

  var state: EngineState
  var workflows = WorkflowSupervisor()
  /// In a cluster: whether this node leads, and when a follower last re-read routing (`Engine+Cluster.swift`).
  var cluster = ClusterFollowing()
  private var loops: [Task<Void, Never>] = []
  private var probing = false
  private var started = false
  private var lastTickAt: Date?

  /// An engine for a validated configuration; nothing runs until `start`.
  public init(
    config: SwitchboardConfig, ports: EnginePorts, clock: any Clock = SystemClock(),
    settings: EngineSettings = EngineSettings()
  ) {
    self.ports = ports
    self.clock = clock
    self.settings = settings
    state = EngineState(config: config)
    healthSource.publish(state.latestHealth)
  }

  /// The poller of the alarm and Route53 health-check signals, reading the configuration in force.
  private var alarmPoller: AlarmPoller {
    AlarmPoller(
      alarms: ports.alarms, healthChecks: ports.healthChecks, interval: settings.alarmPollInterval,
      clock: clock,
      inbox: inbox, configuration: { [weak self] in await self?.configuration() })
  }

  // MARK: Lifecycle

  /// Loads overrides, routing and history from the store, resumes unfinished workflows, starts the probes, and
  /// (with `runLoops`) the tick and alarm-polling loops. Tests pass `runLoops: false` and call `tick()`.
  public func start(runLoops: Bool = true) async throws(EngineError) {
    guard !started else { return }
    started = true
    healthSource.publish(state.latestHealth)
    let now = clock.now
    do {
      state.book = OverrideBook(try await ports.overrides.overrides())
      for service in state.config.services {
        state.routing[service.id] =
          try await ports.history.routingState(service: service.id) ?? .initial(for: service)
      }
      state.history = try await ports.history.transitions(since: now.addingTimeInterval(-3600))
    } catch {
      started = false
      throw EngineError(.unavailable, "The engine cannot start: the store could not be read (\(error)).")
    }
    let unfinished: [WorkflowPlan]
    do {
      unfinished = try await ports.journal.unfinishedWorkflows()
    } catch {
      started = false
      throw EngineError(
        .unavailable, "The engine cannot start: unfinished workflows could not be read (\(error)).")
    }
    for plans in Dictionary(grouping: unfinished, by: { $0.plan.service }).values
    where ports.leadership == nil {
      logger.info("Resuming \(plans.map(\.id).joined(separator: ", ")) for \(plans[0].plan.service).")
      launch(plans, events: nil)
    }
    alarmPoller.explainUnpolled(state.config)
    if settings.runsProbes, let prober = ports.prober {
      let inbox = self.inbox
      let observer = ports.observer
      prober.start(EngineState.probeTargets(state.config)) {
        inbox.append($0)
        observer?.probeObserved($0)
      }
      probing = true
    }
    if runLoops { startLoops() }
  }

  /// Stops the loops and probes; workflows in flight are cancelled between steps and resume at the next start.
  public func stop() async {
    for loop in loops { loop.cancel() }
    loops = []
    if probing { ports.prober?.stop() }
    probing = false
    let tasks = workflows.allTasks
    for task in tasks { task.cancel() }
    for task in tasks { await task.value }
    healthSource.stop()
    fanOut.finish()
    started = false
  }

  /// Waits until every workflow started so far has ended (tests and graceful stops).
  public func waitForWorkflows() async {
    while let task = workflows.anyTask { await task.value }
  }

  private func startLoops() {
    let tickNanos = UInt64(max(0.01, settings.tickInterval) * 1e9)
    loops.append(
      Task { [weak self] in
        var next = DispatchTime.now().uptimeNanoseconds
        while !Task.isCancelled {
          guard let self else { return }
          await self.tick()
          next += tickNanos
          let now = DispatchTime.now().uptimeNanoseconds
          if next < now { next = now }  // a slow tick does not cause a burst of catch-up ticks
          try? await Task.sleep(nanoseconds: next - now)
        }
      })
    let poller = alarmPoller
    if poller.polls { loops.append(Task { await poller.run() }) }
  }

  // MARK: The tick

  /// One decision round: record observations, expire overrides, decide for every idle service.
  public func tick() async {
    let now = clock.now
    lastTickAt = now
    drainInbox()
    let decides = await followLeadership(at: now)  // in a cluster only the leader decides
    if decides { await expireOverrides(at: now) }
    state.forgetTransitions(before: now.addingTimeInterval(-3600))
    for service in state.config.services {
      // Check health.
      let health = refreshHealth(service, at: now)
      guard decides, workflows.inFlight[service.id] == nil else { continue }
      // Evaluate failover.
      let decision = Decider.decide(state.decisionInput(service, health: health, at: now))
      state.lastDecision[service.id] = decision
      // No action (or a block already recorded in this episode).
      guard let event = state.episodes.admit(decision) else { continue }
      fanOut.emit(.decision(service: service.id))
      // Initiate: the supervisor runs the journaled workflow.
      if decision.plan != nil,
        let plan = WorkflowPlan(id: UUID().uuidString, decision: decision, service: service)
      {
        launch([plan], events: [event])
        continue
      }
      // Block (or a decision to record without moving): recorded once, people told.
      await appendEvents([event])
      if let notification = decision.blockedNotification { deliverInBackground(notification) }
    }
  }

  /// Hands an observation to the engine directly (pollers, tests); it counts at the next tick.
  public func submit(_ observation: Observation) { inbox.append(observation) }

  /// Reads every alarm and Route53 health-check signal once and queues the observations for the next tick.
  public func pollAlarms() async { await alarmPoller.poll(state.config) }

  private func drainInbox() {
    for observation in inbox.drain() { state.record(observation, memory: settings.observationMemory) }
  }

  /// Evaluates a service's health, telling listeners and workflows of the result.
  private func refreshHealth(_ service: Service, at now: Date) -> [RegionID: Health] {
    let (health, changes) = state.refreshHealth(service, at: now, peers: ports.peerHealth)
    for change in changes { fanOut.emit(change) }
    healthSource.publish(service: service.id, health)
    return health
  }

  private func expireOverrides(at now: Date) async {
    let expired = state.book.expire(at: now)
    guard !expired.isEmpty else { return }
    for (override, event) in expired {
      do { try await ports.overrides.save(override, event: event) } catch {
        logger.error("The expiry of override \(override.id) could not be saved: \(error)")
      }
    }
    fanOut.emit(.overrides)
  }

  // MARK: Workflows

  /// Hands workflows of one service to the supervisor; `events`, when given, start the first as a new workflow.
  func launch(_ plans: [WorkflowPlan], events: [Event]?) {
    guard let first = plans.first else { return }
    var runnerPorts = WorkflowRunner.Ports(
      dns: ports.dns, metrics: ports.metrics, notifier: ports.notifier, journal: ports.journal,
      health: healthSource, routingEndpoint: ports.routingEndpoint, clock: clock, sleeper: ports.sleeper,
      jitter: ports.jitter)
    runnerPorts.capacity = ports.runbook.capacity
    runnerPorts.databases = ports.runbook.databases
    runnerPorts.hooks = ports.runbook.hooks
    runnerPorts.history = ports.runbook.history
    runnerPorts.leadership = ports.leadership
    let runner = WorkflowRunner(
      ports: runnerPorts, policy: state.config.policy, metricsNamespace: settings.metricsNamespace)
    workflows.launch(
      plans, events: events, runner: runner, sleeper: ports.sleeper, retry: settings.workflowResumeRetry,
      at: clock.now, report: { [weak self] in await self?.workflowReported($0) })
    fanOut.emit(.workflowStarted(service: first.plan.service, workflowID: first.id))
  }

  /// A workflow task's news, applied here so "in flight" and routing change together.
  private func workflowReported(_ report: WorkflowSupervisor.Report) {
    switch report {
    case .running(let plan):
      workflows.markRunning(plan, at: clock.now)
      fanOut.emit(.workflowStarted(service: plan.plan.service, workflowID: plan.id))
    case .interrupted(let plan, let result):
      workflows.markInterrupted(plan, result)
    case .ended(let plan, let result):
      let now = clock.now
      guard let status = workflows.finish(plan, result, at: now) else { return }
      if status.state == .succeeded {
        state.moved(plan.plan, at: now)
        fanOut.emit(.routing(service: plan.plan.service))
      }
      ports.observer?.workflowFinished(status)
      fanOut.emit(
        .workflowFinished(
          service: plan.plan.service, workflowID: plan.id, succeeded: status.state == .succeeded))
    case .taskEnded(let id):
      workflows.taskEnded(id)
    }
  }

  // MARK: People's requests

  /// Validates and stores a new override; it takes effect at the next tick.
  public func createOverride(_ request: OverrideRequest) async throws(EngineError) -> Override {
    let config = state.config
    let created: (Override, Event)
    do {
      created = try state.book.create(
        request, id: UUID().uuidString, at: clock.now, services: config.services,
        regions: config.regions.map(\.id), policy: config.policy)
    } catch {
      throw EngineError(.invalid, error.message)
    }
    do {
      try await ports.overrides.save(created.0, event: created.1)
    } catch {
      state.book = OverrideBook(state.book.overrides.filter { $0.id != created.0.id })
      throw EngineError(.unavailable, "The override was not created: the store refused it (\(error)).")
    }
    fanOut.emit(.overrides)
    return created.0
  }

  /// Clears an active override before its expiry.
  public func clearOverride(id: String, by actor: String) async throws(EngineError) -> Override {
    let previous = state.book.overrides.first { $0.id == id }
    let cleared: (Override, Event)
    do {
      cleared = try state.book.clear(id: id, by: actor, at: clock.now)
    } catch {
      throw EngineError(previous == nil ? .notFound : .invalid, error.message)
    }
    do {
      try await ports.overrides.save(cleared.0, event: cleared.1)
    } catch {
      if let previous { state.book = OverrideBook(state.book.overrides.map { $0.id == id ? previous : $0 }) }
      throw EngineError(.unavailable, "The override was not cleared: the store refused it (\(error)).")
    }
    fanOut.emit(.overrides)
    return cleared.0
  }

  /// Decides on an operator's request to move a service now; an initiate starts the workflow at once.
  /// Returns the decision (initiate, blocked with its rule, no action, or rejected), explained.
  public func requestManualFailover(_ request: ManualRequest) async throws(EngineError) -> Decision {
    try await requestManualMove(request).decision
  }

  /// `requestManualFailover`, also returning the id of the workflow it started (nil when it started none). Drills
  /// pass `RunbookRunOptions(drill: true)`, so runbook steps marked `in_drills: skip` are journaled as skipped.
  public func requestManualMove(
    _ request: ManualRequest, runbookOptions: RunbookRunOptions? = nil
  ) async throws(EngineError) -> (
    decision: Decision, workflowID: String?
  ) {
    guard let service = state.config.service(request.service) else {
      throw EngineError(.notFound, "Service \(request.service) is not configured.")
    }
    try requireLeadership()
    if let running = workflows.inFlight[service.id] {
      throw EngineError(
        .conflict,
        "Workflow \(running.id) is already moving \(service.id) (\(running.plan.from.summary) → "
          + "\(running.plan.to.summary)); try again once it has finished.")
    }
    let now = clock.now
    drainInbox()
    let health = refreshHealth(service, at: now)
    let decision = Decider.manualRequest(request, state.decisionInput(service, health: health, at: now))
    guard let event = decision.event else { return (decision, nil) }
    fanOut.emit(.decision(service: service.id))
    if let plan = WorkflowPlan(
      id: UUID().uuidString, decision: decision, service: service, runbookOptions: runbookOptions)
    {
      launch([plan], events: [event])
      return (decision, plan.id)
    }
    await appendEvents([event])
    return (decision, nil)
  }

  // MARK: Reload

  /// Switches to a new (already validated) configuration: services and signals that did not change keep their
  /// state; a changed service's unchanged signals are rebuilt from their recent observations; probes follow.
  public func reload(_ newConfig: SwitchboardConfig) async {
    var stored: [ServiceID: RoutingState] = [:]
    for service in newConfig.services where state.routing[service.id] == nil {
      stored[service.id] = try? await ports.history.routingState(service: service.id)
    }
    state.reload(newConfig, storedRouting: stored)
    healthSource.republish(state.latestHealth)
    if probing { ports.prober?.update(EngineState.probeTargets(newConfig)) }
    alarmPoller.explainUnpolled(newConfig)
    fanOut.emit(.configuration)
  }

  // MARK: Reading

  /// The current picture for the API; without `signals`, regions carry their composite health only (cheaper).
  public func snapshot(signals: Bool = true) -> EngineSnapshot {
    EngineReadModel.snapshot(state, workflows: workflows, at: clock.now, signals: signals)
  }

  /// One service's picture (nil when it is not configured), without copying the others.
  public func snapshot(service id: ServiceID) -> ServiceSnapshot? {
    state.service(id).map { EngineReadModel.service($0, state, workflows: workflows, at: clock.now) }
  }

  /// What the decider says now, without acting: automation's decision (`manual` nil) or a manual request's.
  /// Nil for an unknown service. Uses the health as of the last tick; records nothing.
  public func dryRun(service id: ServiceID, manual: ManualRequest? = nil) -> Decision? {
    EngineReadModel.dryRun(state, service: id, manual: manual, at: clock.now)
  }

  /// When the last tick began (nil before the first), and the tick interval: readiness checks the loop runs.
  public func tickStatus() -> (lastTick: Date?, interval: Double, started: Bool) {
    (lastTickAt, settings.tickInterval, started)
  }

  /// The configuration the engine runs with (the latest reload).
  public func configuration() -> SwitchboardConfig { state.config }

  /// The composite health of a service in a region as of the last tick (what workflows check).
  public func currentHealth(service: ServiceID, region: RegionID) -> Health {
    state.health(service: service, region: region)
  }

  /// A stream of changes; it ends when the engine stops or the consumer stops listening.
  public func changes() -> AsyncStream<EngineChange> { fanOut.subscribe() }

  // MARK: Recording and telling

  private func appendEvents(_ events: [Event]) async {
    do { try await ports.events.append(events) } catch {
      logger.error("\(events.count) event(s) could not be recorded: \(error)")
    }
  }

  private func deliverInBackground(_ notification: FailoverNotification) {
    let delivery = NotificationDelivery(
      notifier: ports.notifier,
      backoff: Backoff(policy: state.config.policy.notificationRetry, jitter: ports.jitter),
      sleeper: ports.sleeper)
    let clock = self.clock
    let events = ports.events
    let logger = self.logger
    Task {
      guard let failure = await delivery.deliver(notification, at: { clock.now }) else { return }
      do { try await events.append([failure]) } catch {
        logger.error("The failed-notification event could not be recorded: \(error)")
      }
    }
  }
}
