import Foundation
import Synchronization

/// Hands each engine change to every current listener (SSE streams, caches). A listener that falls behind keeps
/// only its newest 256 changes; one that stops listening is forgotten.
final class ChangeFanOut: Sendable {
  private let listeners = Mutex<[UUID: AsyncStream<EngineChange>.Continuation]>([:])

  /// A new stream of the changes from now on; it ends at `finish()` or when its consumer stops listening.
  func subscribe() -> AsyncStream<EngineChange> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: EngineChange.self, bufferingPolicy: .bufferingNewest(256))
    let id = UUID()
    listeners.withLock { $0[id] = continuation }
    continuation.onTermination = { [weak self] _ in self?.listeners.withLock { $0[id] = nil } }
    return stream
  }

  /// Tells every listener.
  func emit(_ change: EngineChange) {
    // Yielded outside the lock: a terminated stream's call-back takes it.
    for listener in listeners.withLock({ Array($0.values) }) { listener.yield(change) }
  }

  /// Ends every stream (the engine stopped).
  func finish() {
    let ended = listeners.withLock { listeners in
      defer { listeners = [:] }
      return Array(listeners.values)
    }
    for listener in ended { listener.finish() }
  }
}
