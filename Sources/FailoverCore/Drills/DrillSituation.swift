import Foundation

/// What the guard rails look at for one service before and during a drill, gathered from the engine and the
/// alarm source.
public struct DrillSituation: Sendable, Hashable {
  /// The service.
  public var service: ServiceID
  /// Its primary region.
  public var primary: RegionID?
  /// Where its traffic is (nil when split).
  public var activeRegion: RegionID?
  /// The target's composite health.
  public var targetHealth: HealthStatus
  /// Why the target has that health.
  public var targetHealthReason: String
  /// A freeze override in effect on the service, described; nil when none.
  public var freeze: String?
  /// The id of a workflow moving the service now; nil when none.
  public var workflowInFlight: String?
  /// The decider's verdict on moving the service to the target now (the safety rules), in a sentence.
  public var verdict: String

  /// A situation.
  public init(
    service: ServiceID, primary: RegionID?, activeRegion: RegionID?, targetHealth: HealthStatus,
    targetHealthReason: String = "", freeze: String? = nil, workflowInFlight: String? = nil,
    verdict: String = ""
  ) {
    self.verdict = verdict
    self.service = service
    self.primary = primary
    self.activeRegion = activeRegion
    self.targetHealth = targetHealth
    self.targetHealthReason = targetHealthReason
    self.freeze = freeze
    self.workflowInFlight = workflowInFlight
  }
}
