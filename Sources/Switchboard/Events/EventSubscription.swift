import FailoverCore
import Foundation
import Synchronization

/// One live reader of the event hub: a bounded queue of events the hub has handed over and the stream has not
/// yet written, plus a heartbeat flag.
///
/// A reader that lets more than `limit` events pile up is ended with `.tooFarBehind` (its queue dropped); it
/// resumes from the store with `Last-Event-ID`.
public final class EventSubscription: Sendable {
  /// Why a subscription ended.
  public enum EndReason: Sendable, Hashable {
    /// More than the buffer limit of events were waiting.
    case tooFarBehind
    /// The hub stopped (server shutdown).
    case shutdown
  }

  /// What `next()` returns.
  public enum Next: Sendable {
    /// Events in order (at least one).
    case events([StoredEvent])
    /// Nothing happened for a heartbeat interval.
    case heartbeat
    /// The subscription is over.
    case ended(EndReason)
  }

  private struct State {
    var queue: [StoredEvent] = []
    var heartbeatDue = false
    var ended: EndReason?
    var waiter: CheckedContinuation<Next, Never>?
  }

  /// Identifies it in the hub.
  public let id = UUID()
  /// The most events that may wait.
  public let limit: Int
  private let state = Mutex(State())

  init(limit: Int) { self.limit = limit }

  /// Waits for the next events, heartbeat or end.
  public func next() async -> Next {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state -> Next? in
        if let reason = state.ended { return .ended(reason) }
        if !state.queue.isEmpty {
          defer { state.queue = [] }
          return .events(state.queue)
        }
        if state.heartbeatDue {
          state.heartbeatDue = false
          return .heartbeat
        }
        state.waiter = continuation
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  /// Hands over events; false (and the subscription ended) when that would exceed the limit.
  func deliver(_ events: [StoredEvent]) -> Bool {
    let (waiter, next, accepted) = state.withLock {
      state -> (CheckedContinuation<Next, Never>?, Next?, Bool) in
      guard state.ended == nil else { return (nil, nil, false) }
      if state.queue.count + events.count > limit {
        state.ended = .tooFarBehind
        state.queue = []
        defer { state.waiter = nil }
        return (state.waiter, .ended(.tooFarBehind), false)
      }
      if let waiter = state.waiter {
        state.waiter = nil
        return (waiter, .events(events), true)
      }
      state.queue += events
      return (nil, nil, true)
    }
    if let waiter, let next { waiter.resume(returning: next) }
    return accepted
  }

  /// Asks the stream to write a heartbeat (unless something else is waiting to be written).
  func heartbeat() {
    let waiter = state.withLock { state -> CheckedContinuation<Next, Never>? in
      guard state.ended == nil else { return nil }
      if let waiter = state.waiter {
        state.waiter = nil
        return waiter
      }
      state.heartbeatDue = true
      return nil
    }
    waiter?.resume(returning: .heartbeat)
  }

  /// Ends the subscription.
  func end(_ reason: EndReason) {
    let waiter = state.withLock { state -> CheckedContinuation<Next, Never>? in
      guard state.ended == nil else { return nil }
      state.ended = reason
      state.queue = []
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume(returning: .ended(reason))
  }
}
