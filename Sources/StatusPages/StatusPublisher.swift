import FailoverCore
import Foundation
import Logging
import Switchboard
import Synchronization

/// Keeps the rendered status documents: re-renders after the engine reports a visible change (coalesced within
/// a window of at most 250 ms: `ChangeCoalescer`) and on a slow timer (a safety net), never per request or per
/// observation.
///
/// Route handlers read `current` synchronously; a render that produces the same bytes leaves the ETags as
/// they were, and costs one pass over the services (only the services that changed are encoded again).
public final class StatusPublisher: Sendable {
  private let state: Mutex<State>
  private let clock: any FailoverCore.Clock
  private let sleeper: any Sleeper
  private let logger = Logger(label: "switchboard.status")
  /// The renderer, held while it renders (readers of `current` never wait for a render).
  private let renderer: Mutex<StatusRenderer>
  private let published = Mutex<(current: RenderedStatus?, renders: Int)>((nil, 0))

  private struct State: Sendable {
    var lastFailover: LastFailover?
    var maintenances: [DrillMaintenance] = []
    /// When the store first saw each component (`StatusRenderer.componentKeys`): their `created_at`.
    var firstSeen: [String: Date] = [:]
    /// The services whose components' first-seen times were asked for.
    var seenServices: [ServiceID] = []
    /// Whether the last failover must be read from the store again (a workflow ended).
    var lastFailoverStale = true
    var coalescer: ChangeCoalescer
    var tasks: [Task<Void, Never>] = []
    var pending: Task<Void, Never>?
    var stopped = false
  }

  /// A publisher with nothing rendered yet; `start` or `publish` renders. Changes wait `window` seconds (at most
  /// 0.25) on `sleeper` for the render that covers them.
  public init(
    renderer: StatusRenderer = StatusRenderer(), clock: any FailoverCore.Clock = SystemClock(),
    window: Double = 0.05, sleeper: any Sleeper = TaskSleeper()
  ) {
    self.renderer = Mutex(renderer)
    state = Mutex(State(coalescer: ChangeCoalescer(window: window)))
    self.clock = clock
    self.sleeper = sleeper
  }

  /// The documents of the latest render; nil before the first.
  public var current: RenderedStatus? { published.withLock { $0.current } }

  /// How many renders have run (tests and metrics).
  public var renderCount: Int { published.withLock { $0.renders } }

  /// Renders `snapshot` now and makes the result current.
  @discardableResult
  public func publish(
    _ snapshot: EngineSnapshot, lastFailover: LastFailover?, maintenances: [DrillMaintenance]? = nil
  ) -> RenderedStatus {
    let now = clock.now
    let (firstSeen, shown) = state.withLock { state in
      if let maintenances { state.maintenances = maintenances }
      state.lastFailover = lastFailover
      return (state.firstSeen, state.maintenances)
    }
    return renderer.withLock { renderer in
      let rendered = renderer.render(
        snapshot, lastFailover: lastFailover, now: now, firstSeen: firstSeen, maintenances: shown)
      published.withLock { $0 = (rendered, $0.renders + 1) }
      return rendered
    }
  }

  /// Renders from the engine and the journal once (the journal is read again only after a workflow ended).
  public func refresh(engine: Engine, store: any WorkflowQueries & ComponentHistory) async {
    let snapshot = await engine.snapshot(signals: false)
    var lastFailover = state.withLock { $0.lastFailover }
    if state.withLock({ $0.lastFailoverStale }) {
      do {
        state.withLock { $0.lastFailoverStale = false }
        lastFailover = try await LastFailover.latest(in: store)
      } catch {
        state.withLock { $0.lastFailoverStale = true }
        logger.warning(
          "The last failover could not be read from the store (the previous one stays): \(error)")
      }
    }
    let services = snapshot.services.map(\.id)
    if state.withLock({ $0.seenServices != services }) {
      await rememberFirstSeen(StatusRenderer.componentKeys(snapshot), store: store)
      state.withLock { $0.seenServices = services }
    }
    let maintenances = await DrillMaintenance.read(from: store, snapshot: snapshot, now: clock.now)
    publish(snapshot, lastFailover: lastFailover, maintenances: maintenances)
  }

  /// Asks the store when components not yet known were first seen (recording them now if never), so that
  /// `created_at` stays the same across restarts.
  private func rememberFirstSeen(_ keys: [String], store: any ComponentHistory) async {
    let missing = state.withLock { state in keys.filter { state.firstSeen[$0] == nil } }
    guard !missing.isEmpty else { return }
    do {
      let seen = try await store.componentsFirstSeen(missing, now: clock.now)
      state.withLock { $0.firstSeen.merge(seen) { old, _ in old } }
    } catch {
      logger.warning("When status components were first seen could not be read from the store: \(error)")
    }
  }

  /// Renders once, then after every visible engine change (coalesced) and every `interval`; stops when the
  /// engine stops (its change stream ends) or on `stop()`.
  public func start(
    engine: Engine, store: any WorkflowQueries & ComponentHistory, interval: Duration = .seconds(5)
  ) async {
    let changes = await engine.changes()
    await refresh(engine: engine, store: store)
    let onChange = Task { [weak self] in
      for await change in changes where Self.isVisible(change) {
        guard let self else { return }
        self.changed(change, engine: engine, store: store)
      }
      self?.stop()
    }
    let onTimer = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: interval)
        guard let self, !Task.isCancelled else { return }
        self.state.withLock { $0.lastFailoverStale = true }
        await self.refresh(engine: engine, store: store)
      }
    }
    let stopped = state.withLock { state in
      state.tasks += [onChange, onTimer]
      return state.stopped
    }
    if stopped { stop() }
  }

  /// Whether `change` can alter what the status documents show (a decision alone cannot: it is not on them).
  static func isVisible(_ change: EngineChange) -> Bool {
    if case .decision = change { return false }
    return true
  }

  /// A visible change: the first of a burst schedules the render that covers the burst.
  func changed(_ change: EngineChange, engine: Engine, store: any WorkflowQueries & ComponentHistory) {
    let now = clock.now
    let due = state.withLock { state -> Date? in
      if case .workflowFinished = change { state.lastFailoverStale = true }
      return state.stopped ? nil : state.coalescer.changed(at: now)
    }
    guard let due else { return }
    let sleeper = self.sleeper
    let wait = max(0, due.timeIntervalSince(now))
    let render = Task { [weak self] in
      try? await sleeper.sleep(seconds: wait)
      guard let self, !Task.isCancelled else { return }
      self.state.withLock { $0.coalescer.publishing() }
      await self.refresh(engine: engine, store: store)
    }
    state.withLock { $0.pending = render }
  }

  /// Stops re-rendering; the last documents stay current.
  public func stop() {
    let tasks = state.withLock { state in
      state.stopped = true
      let tasks = state.tasks + [state.pending].compactMap { $0 }
      state.tasks = []
      state.pending = nil
      return tasks
    }
    for task in tasks { task.cancel() }
  }
}
