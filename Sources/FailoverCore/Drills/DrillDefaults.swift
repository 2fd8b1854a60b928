/// The configuration's drill settings: default guard rails and the missed-start deadline.
public struct DrillDefaults: Sendable, Hashable {
  /// Guard rails every drill gets in addition to its own.
  public var guardRails: DrillGuardRails
  /// Seconds after its scheduled time within which a missed start (process down, paused tick) still runs; later,
  /// the occurrence is skipped and recorded. Runs never start late beyond it.
  public var missedStartDeadline: Double

  /// Defaults: no rails, a 300 s deadline.
  public init(guardRails: DrillGuardRails = DrillGuardRails(), missedStartDeadline: Double = 300) {
    self.guardRails = guardRails
    self.missedStartDeadline = missedStartDeadline
  }
}
