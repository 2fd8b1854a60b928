import FailoverCore
import Synchronization

/// The engine's composite health as of its last evaluation, as the workflow's "check target health" step reads
/// it: the tick loop publishes each evaluation here, so workflows never call back into the engine.
final class EngineHealthSource: TargetHealthSource {
  /// Nil while the engine is stopped.
  private let latest = Mutex<[ServiceID: [RegionID: Health]]?>(nil)

  /// Publishes all of the engine's latest health (at start).
  func publish(_ health: [ServiceID: [RegionID: Health]]) { latest.withLock { $0 = health } }

  /// Replaces all of it unless the engine is stopped (after a reload).
  func republish(_ health: [ServiceID: [RegionID: Health]]) {
    latest.withLock { if $0 != nil { $0 = health } }
  }

  /// Publishes one service's evaluation unless the engine is stopped (after every tick's).
  func publish(service: ServiceID, _ health: [RegionID: Health]) { latest.withLock { $0?[service] = health } }

  /// The engine stopped: answers "unknown" until the next start.
  func stop() { latest.withLock { $0 = nil } }

  func health(service: ServiceID, region: RegionID) async throws -> Health {
    guard let latest = latest.withLock({ $0 }) else {
      return .unknown("The engine is stopped, so \(service) in \(region) has no current health.")
    }
    return latest[service]?[region] ?? .unknown("No tick has evaluated \(service) in \(region) yet.")
  }
}
