import FailoverCore
import Synchronization

/// Where probes and pollers drop observations between two ticks; the engine drains it at every tick.
final class ObservationInbox: Sendable {
  private let pending = Mutex<[Observation]>([])

  /// Adds one observation (from any thread).
  func append(_ observation: Observation) { pending.withLock { $0.append(observation) } }

  /// Takes every observation so far, oldest first.
  func drain() -> [Observation] {
    pending.withLock { list in
      defer { list = [] }
      return list
    }
  }
}
