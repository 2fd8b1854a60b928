import FailoverCore
import Foundation
import Logging
import Synchronization

/// Reads new events from the store once and hands them to every live subscriber (the SSE streams).
///
/// It picks up every appended event, whoever wrote it (the engine, a workflow through the journal, an API
/// request): it polls the store every `pollInterval` while anyone listens, and at once when the engine reports
/// a change. Each subscriber has a bounded queue; one that falls more than `bufferLimit` events behind is
/// ended. The hub ends every subscription when it stops (server shutdown), so streams close.
public final class EventHub: Sendable {
  /// The store events come from.
  public let store: any EventQueries
  /// How often the store is read while there are subscribers.
  public let pollInterval: Duration
  /// How long a stream may stay silent before a heartbeat comment is written.
  public let heartbeatInterval: Duration
  /// The most events a subscriber may have waiting.
  public let bufferLimit: Int
  /// Events read from the store per query.
  static let pageSize = 500

  private let logger = Logger(label: "switchboard.events")
  private let state = Mutex(State())

  private struct Entry {
    var subscription: EventSubscription
    var position: Int64
    var lastSignal: ContinuousClock.Instant
  }

  private struct State {
    var subscribers: [UUID: Entry] = [:]
    var tasks: [Task<Void, Never>] = []
    var stopped = false
  }

  /// A hub over `store`; nothing runs until `start`.
  public init(
    store: any EventQueries, pollInterval: Duration = .milliseconds(250),
    heartbeatInterval: Duration = .seconds(15),
    bufferLimit: Int = 1024
  ) {
    self.store = store
    self.pollInterval = pollInterval
    self.heartbeatInterval = heartbeatInterval
    self.bufferLimit = max(1, bufferLimit)
  }

  /// Whether the hub has stopped (new streams are refused).
  public var isStopped: Bool { state.withLock { $0.stopped } }

  /// How many subscribers are live.
  public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

  /// Starts polling (and, with an engine, waking on its changes; the hub stops when the engine does).
  public func start(engine: Engine? = nil) {
    let poller = Task { [weak self] in
      while !Task.isCancelled {
        guard let interval = self?.pollInterval else { return }
        try? await Task.sleep(for: interval)
        guard let self, !Task.isCancelled else { return }
        if self.subscriberCount > 0 { await self.pump() }
        self.sendHeartbeats()
      }
    }
    var tasks = [poller]
    if let engine {
      tasks.append(
        Task { [weak self] in
          let changes = await engine.changes()
          for await _ in changes {
            guard let self else { return }
            if self.subscriberCount > 0 { await self.pump() }
          }
          self?.stop()
        })
    }
    let stopped = state.withLock { state in
      state.tasks += tasks
      return state.stopped
    }
    if stopped { for task in tasks { task.cancel() } }
  }

  /// A subscription for events after `seq`; nil once the hub has stopped.
  public func subscribe(after seq: Int64) -> EventSubscription? {
    let subscription = EventSubscription(limit: bufferLimit)
    let accepted = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      state.subscribers[subscription.id] = Entry(
        subscription: subscription, position: seq, lastSignal: .now)
      return true
    }
    return accepted ? subscription : nil
  }

  /// Forgets a subscription (its stream ended).
  public func unsubscribe(_ subscription: EventSubscription) {
    _ = state.withLock { $0.subscribers.removeValue(forKey: subscription.id) }
  }

  /// Ends every subscription and stops polling.
  public func stop() {
    let (tasks, entries) = state.withLock { state in
      state.stopped = true
      defer {
        state.tasks = []
        state.subscribers = [:]
      }
      return (state.tasks, Array(state.subscribers.values))
    }
    for task in tasks { task.cancel() }
    for entry in entries { entry.subscription.end(.shutdown) }
  }

  /// Reads what subscribers have not seen yet and hands it over (safe to run concurrently: each subscriber
  /// only takes events after its own position).
  public func pump() async {
    for _ in 0..<1000 {
      guard let from = state.withLock({ $0.subscribers.values.map(\.position).min() }) else { return }
      let events: [StoredEvent]
      do {
        events = try await store.events(after: from, limit: Self.pageSize)
      } catch {
        logger.warning("New events could not be read from the store (retrying at the next poll): \(error)")
        return
      }
      guard !events.isEmpty else { return }
      let now = ContinuousClock.now
      state.withLock { state in
        for (id, entry) in state.subscribers {
          let fresh = events.filter { $0.seq > entry.position }
          guard let last = fresh.last else { continue }
          if entry.subscription.deliver(fresh) {
            state.subscribers[id]?.position = last.seq
            state.subscribers[id]?.lastSignal = now
          } else {
            state.subscribers[id] = nil
          }
        }
      }
      if events.count < Self.pageSize { return }
    }
  }

  private func sendHeartbeats() {
    let now = ContinuousClock.now
    let due = state.withLock { state -> [EventSubscription] in
      var due: [EventSubscription] = []
      for (id, entry) in state.subscribers where now - entry.lastSignal >= heartbeatInterval {
        state.subscribers[id]?.lastSignal = now
        due.append(entry.subscription)
      }
      return due
    }
    for subscription in due { subscription.heartbeat() }
  }
}
