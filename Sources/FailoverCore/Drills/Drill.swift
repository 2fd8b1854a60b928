import Foundation

/// A scheduled failover exercise: what moves where, how (dry-run or live), for how long, against which objective,
/// when, and within which guard rails.
public struct Drill: Sendable, Hashable, Codable, Identifiable {
  /// Stable id.
  public var id: String
  /// A service, or a whole region whose services move out.
  public var subject: DrillSubject
  /// The region traffic moves to.
  public var targetRegion: RegionID
  /// Dry-run or live.
  public var mode: DrillMode
  /// Seconds traffic stays in the target before failing back.
  public var holdSeconds: Double
  /// The recovery-time objective, in seconds (decision → verified).
  public var objectiveSeconds: Double
  /// One start or a recurrence.
  public var schedule: DrillSchedule
  /// The drill's own guard rails (configuration defaults are added when it runs).
  public var guardRails: DrillGuardRails
  /// scheduled, running, or (one-shot drills, and cancelled ones) the final state.
  public var state: DrillState
  /// Why it is in its state, in a sentence.
  public var stateReason: String
  /// Whether the schedule is paused (occurrences while paused are skipped and recorded).
  public var paused: Bool
  /// Who created it.
  public var createdBy: String
  /// Why it exists.
  public var reason: String
  /// When it was created.
  public var createdAt: Date
  /// When it last changed.
  public var updatedAt: Date
  /// The next occurrence to consider; nil when none is left.
  public var nextRunAt: Date?

  /// A drill.
  public init(
    id: String, subject: DrillSubject, targetRegion: RegionID, mode: DrillMode, holdSeconds: Double,
    objectiveSeconds: Double, schedule: DrillSchedule, guardRails: DrillGuardRails = DrillGuardRails(),
    state: DrillState = .scheduled, stateReason: String = "Waiting for its first occurrence.",
    paused: Bool = false,
    createdBy: String, reason: String, createdAt: Date, nextRunAt: Date? = nil
  ) {
    self.id = id
    self.subject = subject
    self.targetRegion = targetRegion
    self.mode = mode
    self.holdSeconds = holdSeconds
    self.objectiveSeconds = objectiveSeconds
    self.schedule = schedule
    self.guardRails = guardRails
    self.state = state
    self.stateReason = stateReason
    self.paused = paused
    self.createdBy = createdBy
    self.reason = reason
    self.createdAt = createdAt
    updatedAt = createdAt
    self.nextRunAt = nextRunAt ?? schedule.next(after: createdAt.addingTimeInterval(-1))
  }

  /// Seconds allowed for the two moves around the hold, when planning slots and windows.
  public static let moveAllowance: Double = 600

  /// The stretch a run starting at `start` occupies.
  public func slot(at start: Date) -> DrillCalendar.Slot {
    DrillCalendar.Slot(
      drillID: id, start: start,
      end: start.addingTimeInterval(holdSeconds + (mode == .live ? Self.moveAllowance : 60)))
  }

  /// The slots of the next `count` occurrences from `now` (for overlap checks).
  public func upcomingSlots(from now: Date, count: Int = 20) -> [DrillCalendar.Slot] {
    guard !state.isFinal else { return [] }
    return schedule.occurrences(after: now.addingTimeInterval(-1), count: count).map(slot(at:))
  }

  enum CodingKeys: String, CodingKey {
    case id, subject, targetRegion = "target_region", mode, holdSeconds = "hold_seconds"
    case objectiveSeconds = "objective_seconds", schedule, guardRails = "guard_rails", state
    case stateReason = "state_reason", paused, createdBy = "created_by", reason, createdAt = "created_at"
    case updatedAt = "updated_at", nextRunAt = "next_run_at"
  }
}
