import FailoverCore
import Synchronization

/// The engine's current composite health as the workflow's "check target health" step reads it.
final class EngineHealthSource: TargetHealthSource {
  private let engine = Mutex<Engine?>(nil)

  /// Connects the source to its engine (weakly, by clearing on stop).
  func attach(_ engine: Engine?) { self.engine.withLock { $0 = engine } }

  func health(service: ServiceID, region: RegionID) async throws -> Health {
    guard let engine = engine.withLock({ $0 }) else {
      return .unknown("The engine is stopped, so \(service) in \(region) has no current health.")
    }
    return await engine.currentHealth(service: service, region: region)
  }
}
