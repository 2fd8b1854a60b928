import FailoverCore
import Foundation
import Logging
import Synchronization

/// Keeps the store's health history (`GET /api/v1/services/{service}/observations`, the dashboard's chart): every
/// probe observation is buffered and written in one transaction at most once a second, off the probe lanes; then
/// handed to the next observer (metrics) unchanged.
public final class HealthHistoryRecorder: EngineObserver {
  private struct Buffer {
    var observations: [Observation] = []
    var flushScheduled = false
  }

  /// The most observations waiting for a write (ten seconds of 10,000 targets probed every second); older ones are
  /// dropped first when the store falls behind, an eighth at a time (so dropping stays O(1) per observation).
  static let maximumBuffered = 100_000
  private let store: any HealthHistory
  private let next: (any EngineObserver)?
  private let interval: Double
  private let buffer = Mutex(Buffer())
  private let logger = Logger(label: "switchboard.health-history")

  /// Records into `store` every `interval` seconds and forwards everything to `next`.
  public init(store: any HealthHistory, forwardingTo next: (any EngineObserver)?, interval: Double = 1) {
    self.store = store
    self.next = next
    self.interval = interval
  }

  public func workflowFinished(_ workflow: WorkflowStatus) { next?.workflowFinished(workflow) }

  public func probeObserved(_ observation: Observation) {
    next?.probeObserved(observation)
    let schedule = buffer.withLock { buffer -> Bool in
      buffer.observations.append(observation)
      if buffer.observations.count > Self.maximumBuffered {
        buffer.observations.removeFirst(Self.maximumBuffered / 8)
      }
      guard !buffer.flushScheduled else { return false }
      buffer.flushScheduled = true
      return true
    }
    guard schedule else { return }
    let delay = UInt64(max(0, interval) * 1e9)
    Task { [self] in
      try? await Task.sleep(nanoseconds: delay)
      await flush()
    }
  }

  /// Writes what is buffered now.
  public func flush() async {
    let batch = buffer.withLock { buffer -> [Observation] in
      buffer.flushScheduled = false
      defer { buffer.observations.removeAll(keepingCapacity: true) }
      return buffer.observations
    }
    guard !batch.isEmpty else { return }
    do {
      try await store.recordObservations(batch)
    } catch {
      logger.warning(
        "The health history could not be written (\(batch.count) observations dropped): \(error)")
    }
  }
}
