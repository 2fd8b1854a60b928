import FailoverCore
import Foundation
import Logging

/// Feeds the drill conductor on a timer, as the alarm poller feeds the engine: each round starts due drills and
/// moves running ones along (their moves go through the engine's journaled workflows).
public struct DrillScheduler: Sendable {
  /// The drills' logic and state.
  public let conductor: DrillConductor
  /// Seconds between two rounds.
  public let interval: Double
  /// The configuration's drill defaults in force (they change at reloads); nil keeps the conductor's.
  public let defaults: (@Sendable () -> DrillDefaults)?
  /// In a cluster, drills run on the leader only (nil: a single node).
  public var leadership: (any Leadership)? = nil
  private let logger = Logger(label: "switchboard.drills")

  /// A scheduler ticking `conductor` every `interval` seconds with the `defaults` in force.
  public init(
    conductor: DrillConductor, interval: Double = 0.5, defaults: (@Sendable () -> DrillDefaults)? = nil
  ) {
    self.conductor = conductor
    self.interval = interval
    self.defaults = defaults
  }

  /// Ticks until cancelled (in a cluster, only while this node leads); a round that fails (the store) is logged and the next one tries again.
  public func run() async {
    while !Task.isCancelled {
      if leadership?.isLeader() ?? true {
        if let defaults { await conductor.setDefaults(defaults()) }
        do { try await conductor.tick() } catch { logger.error("A drill round failed: \(error)") }
      }
      try? await Task.sleep(nanoseconds: UInt64(max(0.05, interval) * 1e9))
    }
  }
}
