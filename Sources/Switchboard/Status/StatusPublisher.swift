import FailoverCore
import Foundation
import Logging
import Synchronization

/// Keeps the rendered status documents: re-renders when the engine reports a change and on a slow timer (for
/// facts that change with time alone, such as an override's expiry), never per request.
///
/// Route handlers read `current` synchronously; a render that produces the same bytes leaves the ETags as
/// they were.
public final class StatusPublisher: Sendable {
  private let state: Mutex<State>
  private let clock: any FailoverCore.Clock
  private let logger = Logger(label: "switchboard.status")

  private struct State: Sendable {
    var renderer: StatusRenderer
    var current: RenderedStatus?
    var lastFailover: LastFailover?
    var maintenances: [DrillMaintenance] = []
    /// When the store first saw each component (`StatusRenderer.componentKeys`): their `created_at`.
    var firstSeen: [String: Date] = [:]
    var renders = 0
    var tasks: [Task<Void, Never>] = []
    var stopped = false
  }

  /// A publisher with nothing rendered yet; `start` or `publish` renders.
  public init(renderer: StatusRenderer = StatusRenderer(), clock: any FailoverCore.Clock = SystemClock()) {
    state = Mutex(State(renderer: renderer))
    self.clock = clock
  }

  /// The documents of the latest render; nil before the first.
  public var current: RenderedStatus? { state.withLock { $0.current } }

  /// How many renders have run (tests and metrics).
  public var renderCount: Int { state.withLock { $0.renders } }

  /// Renders `snapshot` now and makes the result current.
  @discardableResult
  public func publish(
    _ snapshot: EngineSnapshot, lastFailover: LastFailover?, maintenances: [DrillMaintenance]? = nil
  ) -> RenderedStatus {
    let now = clock.now
    return state.withLock { state in
      if let maintenances { state.maintenances = maintenances }
      let rendered = state.renderer.render(
        snapshot, lastFailover: lastFailover, now: now, firstSeen: state.firstSeen,
        maintenances: state.maintenances)
      state.current = rendered
      state.lastFailover = lastFailover
      state.renders += 1
      return rendered
    }
  }

  /// Renders from the engine and the journal once.
  public func refresh(engine: Engine, store: any WorkflowQueries & ComponentHistory) async {
    let snapshot = await engine.snapshot()
    let lastFailover: LastFailover?
    do {
      lastFailover = try await LastFailover.latest(in: store)
    } catch {
      logger.warning("The last failover could not be read from the store (the previous one stays): \(error)")
      lastFailover = state.withLock { $0.lastFailover }
    }
    await rememberFirstSeen(StatusRenderer.componentKeys(snapshot), store: store)
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

  /// Renders once, then again on every engine change and every `interval`; stops when the engine stops (its
  /// change stream ends) or on `stop()`.
  public func start(
    engine: Engine, store: any WorkflowQueries & ComponentHistory, interval: Duration = .seconds(5)
  ) async {
    let changes = await engine.changes()
    await refresh(engine: engine, store: store)
    let onChange = Task { [weak self] in
      for await _ in changes {
        guard let self else { return }
        await self.refresh(engine: engine, store: store)
      }
      self?.stop()
    }
    let onTimer = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: interval)
        guard let self, !Task.isCancelled else { return }
        await self.refresh(engine: engine, store: store)
      }
    }
    let stopped = state.withLock { state in
      state.tasks += [onChange, onTimer]
      return state.stopped
    }
    if stopped { stop() }
  }

  /// Stops re-rendering; the last documents stay current.
  public func stop() {
    let tasks = state.withLock { state in
      state.stopped = true
      let tasks = state.tasks
      state.tasks = []
      return tasks
    }
    for task in tasks { task.cancel() }
  }
}
