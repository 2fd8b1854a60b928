import Configuration
import FailoverCore
import Foundation
import Logging

/// The control loop: owns health, decisions, overrides and workflows for the configured services.
///
/// Every tick it drains the observations that probes and pollers delivered into the health model, expires
/// overrides, and asks the decider about each service without a workflow in flight; an initiate starts a
/// journaled workflow, a block is recorded once per episode and notified. People act through
/// `createOverride`, `clearOverride` and `requestManualFailover`; the API reads `snapshot()` and `changes()`.
public actor Engine {
  private var config: SwitchboardConfig
  private let ports: EnginePorts
  private let clock: any Clock
  /// How the engine paces itself (fixed for the process's life).
  public let settings: EngineSettings
  private let logger = Logger(label: "switchboard.engine")
  private let inbox = ObservationInbox()
  private let healthSource = EngineHealthSource()

  private var models: [ServiceID: HealthModel] = [:]
  private var signalOwners: [SignalKey: [ServiceID]] = [:]
  private var recentObservations: [SignalKey: [Observation]] = [:]
  private var latestHealth: [ServiceID: [RegionID: Health]] = [:]
  private var episodes = EpisodeTracker()
  private var book = OverrideBook()
  private var routing: [ServiceID: RoutingState] = [:]
  private var history: [Transition] = []
  private var lastDecision: [ServiceID: Decision] = [:]
  private var inFlight: [ServiceID: WorkflowStatus] = [:]
  private var lastWorkflow: [ServiceID: WorkflowStatus] = [:]
  private var workflowTasks: [UUID: Task<Void, Never>] = [:]
  private var loops: [Task<Void, Never>] = []
  private var probing = false
  private var observers: [UUID: AsyncStream<EngineChange>.Continuation] = [:]
  private var started = false
  private var lastTickAt: Date?

  /// An engine for a validated configuration; nothing runs until `start`.
  public init(
    config: SwitchboardConfig, ports: EnginePorts, clock: any Clock = SystemClock(),
    settings: EngineSettings = EngineSettings()
  ) {
    self.config = config
    self.ports = ports
    self.clock = clock
    self.settings = settings
    for service in config.services {
      models[service.id] = Engine.model(for: service, regions: config.regions)
    }
    signalOwners = Engine.owners(config)
    healthSource.attach(self)
  }

  // MARK: Lifecycle

  /// Loads overrides, routing and history from the store, resumes unfinished workflows, starts the probes, and
  /// (with `runLoops`) the tick and alarm-polling loops. Tests pass `runLoops: false` and call `tick()`.
  public func start(runLoops: Bool = true) async throws(EngineError) {
    guard !started else { return }
    started = true
    healthSource.attach(self)
    let now = clock.now
    do {
      book = OverrideBook(try await ports.overrides.overrides())
      for service in config.services {
        routing[service.id] =
          try await ports.history.routingState(service: service.id) ?? Engine.initialRouting(service)
      }
      history = try await ports.history.transitions(since: now.addingTimeInterval(-3600))
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
    for plans in Dictionary(grouping: unfinished, by: { $0.plan.service }).values {
      logger.info("Resuming \(plans.map(\.id).joined(separator: ", ")) for \(plans[0].plan.service).")
      launch(plans, events: nil)
    }
    explainUnpolledSignals()
    if settings.runsProbes, let prober = ports.prober {
      let inbox = self.inbox
      let observer = ports.observer
      prober.start(Engine.probeTargets(config)) {
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
    for task in workflowTasks.values { task.cancel() }
    for task in workflowTasks.values { await task.value }
    healthSource.attach(nil)
    for observer in observers.values { observer.finish() }
    observers = [:]
    started = false
  }

  /// Waits until every workflow started so far has ended (tests and graceful stops).
  public func waitForWorkflows() async {
    while let task = workflowTasks.values.first { await task.value }
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
    if let interval = settings.alarmPollInterval, ports.alarms != nil || ports.healthChecks != nil {
      loops.append(
        Task { [weak self] in
          while !Task.isCancelled {
            guard let self else { return }
            await self.pollAlarms()
            try? await Task.sleep(nanoseconds: UInt64(max(1, interval) * 1e9))
          }
        })
    }
  }

  // MARK: The tick

  /// One decision round: record observations, expire overrides, decide for every idle service.
  public func tick() async {
    let now = clock.now
    lastTickAt = now
    for observation in inbox.drain() { record(observation) }
    await expireOverrides(at: now)
    history.removeAll { $0.at < now.addingTimeInterval(-3600) }
    for service in config.services {
      let health = refreshHealth(service, at: now)
      guard inFlight[service.id] == nil else { continue }
      let input = DecisionInput(
        service: service, routing: routing[service.id] ?? Engine.initialRouting(service), health: health,
        overrides: book.overrides, policy: config.policy, history: history, now: now)
      let decision = Decider.decide(input)
      lastDecision[service.id] = decision
      guard let event = episodes.admit(decision) else { continue }
      emit(.decision(service: service.id))
      if decision.plan != nil,
        let plan = WorkflowPlan(id: UUID().uuidString, decision: decision, service: service)
      {
        launch(plan, events: [event])
        continue
      }
      await appendEvents([event])
      if let notification = decision.blockedNotification { deliverInBackground(notification) }
    }
  }

  /// Hands an observation to the engine directly (pollers, tests); it counts at the next tick.
  public func submit(_ observation: Observation) { inbox.append(observation) }

  /// Reads every alarm and Route53 health-check signal once and queues the observations for the next tick.
  public func pollAlarms() async {
    let signals = HealthModel.allSignals(services: config.services, regions: config.regions)
    let now = clock.now
    var alarms: [(SignalKey, AlarmSignalSpec)] = []
    var checks: [(SignalKey, String)] = []
    for (key, spec) in signals {
      switch spec {
      case .cloudWatchAlarm(let alarm): alarms.append((key, alarm))
      case .route53HealthCheck(let id): checks.append((key, id))
      case .httpProbe: break
      }
    }
    if let source = ports.alarms, !alarms.isEmpty {
      do {
        let readings = try await source.alarmStates(names: Array(Set(alarms.map(\.1.alarmName))).sorted())
        for (key, spec) in alarms {
          inbox.append(AlarmVerdict.observe(readings[spec.alarmName], spec: spec, key: key, at: now))
        }
      } catch {
        for (key, _) in alarms {
          inbox.append(
            Observation(
              signal: key, status: .unknown,
              reason: "CloudWatch could not be read (\(error)); the last verdict is kept.",
              at: now,
              keepsLastVerdict: true))
        }
      }
    }
    if let source = ports.healthChecks {
      for (key, id) in checks {
        do {
          inbox.append(AlarmVerdict.observe(try await source.healthCheckVerdict(id: id), key: key, at: now))
        } catch {
          inbox.append(
            Observation(
              signal: key, status: .unknown,
              reason: "Route53 could not be read (\(error)); the last verdict is kept.",
              at: now, keepsLastVerdict: true))
        }
      }
    }
  }

  private func record(_ observation: Observation) {
    guard let owners = signalOwners[observation.signal] else { return }
    for owner in owners { models[owner]?.record(observation) }
    var recent = recentObservations[observation.signal, default: []]
    recent.append(observation)
    if recent.count > settings.observationMemory {
      recent.removeFirst(recent.count - settings.observationMemory)
    }
    recentObservations[observation.signal] = recent
  }

  private func refreshHealth(_ service: Service, at now: Date) -> [RegionID: Health] {
    guard var model = models[service.id] else { return [:] }
    let health = model.health(service: service.id, at: now)
    models[service.id] = model
    let previous = latestHealth[service.id] ?? [:]
    for region in service.regionIDs where previous[region]?.status != health[region]?.status {
      if let status = health[region]?.status {
        emit(.health(service: service.id, region: region, status: status))
      }
    }
    latestHealth[service.id] = health
    return health
  }

  private func expireOverrides(at now: Date) async {
    let expired = book.expire(at: now)
    guard !expired.isEmpty else { return }
    for (override, event) in expired {
      do { try await ports.overrides.save(override, event: event) } catch {
        logger.error("The expiry of override \(override.id) could not be saved: \(error)")
      }
    }
    emit(.overrides)
  }

  // MARK: Workflows

  /// Starts (events non-nil) or resumes (nil) a workflow in a task; one per service.
  private func launch(_ plan: WorkflowPlan, events: [Event]?) { launch([plan], events: events) }

  /// Runs workflows of one service one after the other in a task (resumes after a restart can be several); the
  /// events, when given, begin the first as a new workflow.
  private func launch(_ plans: [WorkflowPlan], events: [Event]?) {
    guard let first = plans.first else { return }
    markRunning(first)
    let runner = WorkflowRunner(
      ports: WorkflowRunner.Ports(
        dns: ports.dns, metrics: ports.metrics, notifier: ports.notifier, journal: ports.journal,
        health: healthSource, routingEndpoint: ports.routingEndpoint, clock: clock, sleeper: ports.sleeper,
        jitter: ports.jitter),
      policy: config.policy, metricsNamespace: settings.metricsNamespace)
    let sleeper = ports.sleeper
    let retry = settings.workflowResumeRetry
    let taskID = UUID()
    workflowTasks[taskID] = Task { [weak self] in
      for (index, plan) in plans.enumerated() {
        if index > 0 { await self?.markRunning(plan) }
        var result: WorkflowResult?
        if index == 0, let events {
          result = await runner.start(plan, events: events)
        } else {
          result = await runner.resume(plan)
        }
        while let current = result, current.outcome == nil, !Task.isCancelled {
          await self?.workflowInterrupted(plan, current)
          do { try await sleeper.sleep(seconds: retry) } catch { break }
          result = await runner.resume(plan)
        }
        await self?.workflowEnded(plan, result)
        if Task.isCancelled { break }
      }
      await self?.taskEnded(taskID)
    }
  }

  private func markRunning(_ plan: WorkflowPlan) {
    inFlight[plan.plan.service] = WorkflowStatus(
      id: plan.id, plan: plan.plan, startedAt: clock.now, state: .running, finishedAt: nil, timings: [:])
    emit(.workflowStarted(service: plan.plan.service, workflowID: plan.id))
  }

  private func taskEnded(_ id: UUID) { workflowTasks[id] = nil }

  private func workflowInterrupted(_ plan: WorkflowPlan, _ result: WorkflowResult) {
    let reason = result.interruption ?? "the journal could not be written"
    logger.error("\(reason)")
    inFlight[plan.plan.service]?.state = .interrupted(reason: reason)
  }

  private func workflowEnded(_ plan: WorkflowPlan, _ result: WorkflowResult?) {
    let service = plan.plan.service
    guard var status = inFlight[service], status.id == plan.id else { return }
    inFlight[service] = nil
    let now = clock.now
    status.finishedAt = now
    status.timings = result?.timings.secondsSinceStart ?? [:]
    switch result?.outcome {
    case .succeeded:
      status.state = .succeeded
      routing[service] = plan.plan.to
      history.append(
        Transition(
          service: service, from: plan.plan.from, to: plan.plan.to, trigger: plan.plan.trigger, at: now))
      emit(.routing(service: service))
    case .failed(let step, let reason):
      status.state = .failed(reason: "\(step.rawValue): \(reason)")
    case nil:
      status.state = .interrupted(
        reason: result?.interruption ?? "stopped before its end; it resumes at the next start")
    }
    lastWorkflow[service] = status
    ports.observer?.workflowFinished(status)
    emit(.workflowFinished(service: service, workflowID: plan.id, succeeded: status.state == .succeeded))
  }

  // MARK: People's requests

  /// Validates and stores a new override; it takes effect at the next tick.
  public func createOverride(_ request: OverrideRequest) async throws(EngineError) -> Override {
    let now = clock.now
    let created: (Override, Event)
    do {
      created = try book.create(
        request, id: UUID().uuidString, at: now, services: config.services, regions: config.regions.map(\.id),
        policy: config.policy)
    } catch {
      throw EngineError(.invalid, error.message)
    }
    do {
      try await ports.overrides.save(created.0, event: created.1)
    } catch {
      book = OverrideBook(book.overrides.filter { $0.id != created.0.id })
      throw EngineError(.unavailable, "The override was not created: the store refused it (\(error)).")
    }
    emit(.overrides)
    return created.0
  }

  /// Clears an active override before its expiry.
  public func clearOverride(id: String, by actor: String) async throws(EngineError) -> Override {
    let previous = book.overrides.first { $0.id == id }
    let cleared: (Override, Event)
    do {
      cleared = try book.clear(id: id, by: actor, at: clock.now)
    } catch {
      throw EngineError(previous == nil ? .notFound : .invalid, error.message)
    }
    do {
      try await ports.overrides.save(cleared.0, event: cleared.1)
    } catch {
      if let previous { book = OverrideBook(book.overrides.map { $0.id == id ? previous : $0 }) }
      throw EngineError(.unavailable, "The override was not cleared: the store refused it (\(error)).")
    }
    emit(.overrides)
    return cleared.0
  }

  /// Decides on an operator's request to move a service now; an initiate starts the workflow at once.
  /// Returns the decision (initiate, blocked with its rule, no action, or rejected), explained.
  public func requestManualFailover(_ request: ManualRequest) async throws(EngineError) -> Decision {
    try await requestManualMove(request).decision
  }

  /// `requestManualFailover`, also returning the id of the workflow it started (nil when it started none).
  public func requestManualMove(_ request: ManualRequest) async throws(EngineError) -> (
    decision: Decision, workflowID: String?
  ) {
    guard let service = config.service(request.service) else {
      throw EngineError(.notFound, "Service \(request.service) is not configured.")
    }
    if let running = inFlight[service.id] {
      throw EngineError(
        .conflict,
        "Workflow \(running.id) is already moving \(service.id) (\(running.plan.from.summary) → "
          + "\(running.plan.to.summary)); try again once it has finished.")
    }
    let now = clock.now
    for observation in inbox.drain() { record(observation) }
    let input = DecisionInput(
      service: service, routing: routing[service.id] ?? Engine.initialRouting(service),
      health: refreshHealth(service, at: now), overrides: book.overrides, policy: config.policy,
      history: history,
      now: now)
    let decision = Decider.manualRequest(request, input)
    guard let event = decision.event else { return (decision, nil) }
    emit(.decision(service: service.id))
    if let plan = WorkflowPlan(id: UUID().uuidString, decision: decision, service: service) {
      launch(plan, events: [event])
      return (decision, plan.id)
    }
    await appendEvents([event])
    return (decision, nil)
  }

  // MARK: Reload

  /// Switches to a new (already validated) configuration: services and signals that did not change keep their
  /// state; a changed service's unchanged signals are rebuilt from their recent observations; probes follow.
  public func reload(_ newConfig: SwitchboardConfig) async {
    let oldServices = Dictionary(config.services.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let oldRegions = Dictionary(config.regions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let newRegions = Dictionary(
      newConfig.regions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var newModels: [ServiceID: HealthModel] = [:]
    for service in newConfig.services {
      let regionsSame = service.regionIDs.allSatisfy { oldRegions[$0] == newRegions[$0] }
      if oldServices[service.id] == service, regionsSame, let model = models[service.id] {
        newModels[service.id] = model
        continue
      }
      var model = Engine.model(for: service, regions: newConfig.regions)
      for key in model.trackers.keys.sorted() {
        for observation in recentObservations[key] ?? [] { model.record(observation) }
      }
      newModels[service.id] = model
      latestHealth[service.id] = nil
    }
    for service in newConfig.services where routing[service.id] == nil {
      let stored = try? await ports.history.routingState(service: service.id)
      routing[service.id] = stored ?? Engine.initialRouting(service)
    }
    config = newConfig
    models = newModels
    signalOwners = Engine.owners(newConfig)
    recentObservations = recentObservations.filter { signalOwners[$0.key] != nil }
    let kept = Set(newConfig.services.map(\.id))
    routing = routing.filter { kept.contains($0.key) }
    latestHealth = latestHealth.filter { kept.contains($0.key) }
    lastDecision = lastDecision.filter { kept.contains($0.key) }
    if probing { ports.prober?.update(Engine.probeTargets(newConfig)) }
    explainUnpolledSignals()
    emit(.configuration)
  }

  // MARK: Reading

  /// The current picture for the API.
  public func snapshot() -> EngineSnapshot {
    let now = clock.now
    let services = config.services.map { service -> ServiceSnapshot in
      let model = models[service.id]
      let health = latestHealth[service.id] ?? [:]
      let regions = service.regionIDs.map { region -> RegionSnapshot in
        let signals = (model?.signalKeys(service: service.id, region: region) ?? []).compactMap {
          key -> SignalSnapshot? in
          guard let tracker = model?.trackers[key] else { return nil }
          return SignalSnapshot(
            key: key, verdict: tracker.health, lastObservation: tracker.lastObservation,
            consecutiveFailures: tracker.consecutiveFailures,
            consecutiveSuccesses: tracker.consecutiveSuccesses)
        }
        return RegionSnapshot(
          region: region, health: health[region] ?? .unknown("No tick has evaluated \(region) yet."),
          signals: signals)
      }
      let state = routing[service.id] ?? Engine.initialRouting(service)
      return ServiceSnapshot(
        id: service.id, routingMode: service.routingMode, routing: state, activeRegion: state.activeRegion,
        regions: regions, lastDecision: lastDecision[service.id], workflow: inFlight[service.id],
        lastWorkflow: lastWorkflow[service.id], overrides: book.applicable(to: service, at: now))
    }
    return EngineSnapshot(at: now, services: services, overrides: book.active(at: now))
  }

  /// What the decider says now, without acting: automation's decision (`manual` nil) or a manual request's.
  /// Nil for an unknown service. Uses the health as of the last tick; records nothing.
  public func dryRun(service id: ServiceID, manual: ManualRequest? = nil) -> Decision? {
    guard let service = config.service(id) else { return nil }
    let input = DecisionInput(
      service: service, routing: routing[id] ?? Engine.initialRouting(service),
      health: latestHealth[id] ?? [:],
      overrides: book.overrides, policy: config.policy, history: history, now: clock.now)
    guard let manual else { return Decider.decide(input) }
    return Decider.manualRequest(manual, input)
  }

  /// When the last tick began (nil before the first), and the tick interval: readiness checks the loop runs.
  public func tickStatus() -> (lastTick: Date?, interval: Double, started: Bool) {
    (lastTickAt, settings.tickInterval, started)
  }

  /// The configuration the engine runs with (the latest reload).
  public func configuration() -> SwitchboardConfig { config }

  /// The composite health of a service in a region as of the last tick (what workflows check).
  public func currentHealth(service: ServiceID, region: RegionID) -> Health {
    latestHealth[service]?[region] ?? .unknown("No tick has evaluated \(service) in \(region) yet.")
  }

  /// A stream of changes; it ends when the engine stops or the consumer stops listening.
  public func changes() -> AsyncStream<EngineChange> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: EngineChange.self, bufferingPolicy: .bufferingNewest(256))
    let id = UUID()
    observers[id] = continuation
    continuation.onTermination = { [weak self] _ in Task { await self?.removeObserver(id) } }
    return stream
  }

  private func removeObserver(_ id: UUID) { observers[id] = nil }

  private func emit(_ change: EngineChange) {
    for observer in observers.values { observer.yield(change) }
  }

  // MARK: Helpers

  private func appendEvents(_ events: [Event]) async {
    do { try await ports.events.append(events) } catch {
      logger.error("\(events.count) event(s) could not be recorded: \(error)")
    }
  }

  private func deliverInBackground(_ notification: FailoverNotification) {
    let delivery = NotificationDelivery(
      notifier: ports.notifier,
      backoff: Backoff(policy: config.policy.notificationRetry, jitter: ports.jitter),
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

  /// Alarm and health-check signals without a source would stay "not reported yet"; say why instead.
  private func explainUnpolledSignals() {
    let now = clock.now
    for (key, spec) in HealthModel.allSignals(services: config.services, regions: config.regions) {
      switch spec {
      case .cloudWatchAlarm where ports.alarms == nil || settings.alarmPollInterval == nil:
        inbox.append(
          Observation(
            signal: key, status: .unknown,
            reason: "not polled: no alarm source is configured.", at: now))
      case .route53HealthCheck where ports.healthChecks == nil || settings.alarmPollInterval == nil:
        inbox.append(
          Observation(
            signal: key, status: .unknown,
            reason: "not polled: no health-check source is configured.", at: now
          ))
      default:
        break
      }
    }
  }

  static func model(for service: Service, regions: [Region]) -> HealthModel {
    HealthModel(services: [service], regions: regions.filter { service.regionIDs.contains($0.id) })
  }

  static func owners(_ config: SwitchboardConfig) -> [SignalKey: [ServiceID]] {
    var owners: [SignalKey: [ServiceID]] = [:]
    for service in config.services {
      for region in service.regionIDs {
        let model = HealthModel(services: [service], regions: config.regions.filter { $0.id == region })
        for key in model.signalKeys(service: service.id, region: region) {
          owners[key, default: []].append(service.id)
        }
      }
    }
    return owners
  }

  /// Where traffic goes before anything was recorded: the primary (record and failover-health-check modes), or
  /// the configured weights (weighted mode).
  static func initialRouting(_ service: Service) -> RoutingState {
    switch service.routingMode {
    case .record, .failoverHealthCheck:
      guard let primary = service.primary else { return RoutingState(service: service.id, weights: [:]) }
      return .single(service.id, primary)
    case .weighted:
      return RoutingState(
        service: service.id,
        weights: Dictionary(service.regions.map { ($0.region, $0.weight) }, uniquingKeysWith: { a, _ in a }))
    }
  }

  static func probeTargets(_ config: SwitchboardConfig) -> [ProbeTarget] {
    HealthModel.allSignals(services: config.services, regions: config.regions).compactMap { key, spec in
      if case .httpProbe(let probe) = spec { return ProbeTarget(key: key, spec: probe) }
      return nil
    }
  }
}
