import Foundation

/// A drill's limits: when it may not (or only may) run, which alarms prevent a start and which end a run.
/// Configuration gives defaults; a drill adds its own.
public struct DrillGuardRails: Sendable, Hashable, Codable {
  /// Local dates (`YYYY-MM-DD`, in the schedule's zone) on which no run starts or holds.
  public var blockedDates: [String]
  /// Weekly windows in which no run starts or ends.
  public var blockedWindows: [WeeklyWindow]
  /// When not empty, a run starts and ends inside one of these weekly windows (not together with blocked windows).
  public var allowedWindows: [WeeklyWindow]
  /// CloudWatch alarms that prevent a start while in ALARM.
  public var blockingAlarms: [String]
  /// CloudWatch alarms that abort a running drill (and fail back at once) when they go to ALARM.
  public var outcomeAlarms: [String]

  /// Guard rails; every list defaults to empty.
  public init(
    blockedDates: [String] = [], blockedWindows: [WeeklyWindow] = [], allowedWindows: [WeeklyWindow] = [],
    blockingAlarms: [String] = [], outcomeAlarms: [String] = []
  ) {
    self.blockedDates = blockedDates
    self.blockedWindows = blockedWindows
    self.allowedWindows = allowedWindows
    self.blockingAlarms = blockingAlarms
    self.outcomeAlarms = outcomeAlarms
  }

  /// Checks dates and windows: well-formed dates, and not both blocked and allowed windows.
  public func validated() throws(DrillError) -> DrillGuardRails {
    for date in blockedDates where DrillCalendar.localDate(date) == nil {
      throw DrillError("Blocked date \"\(date)\" is not a date such as 2026-12-24.", field: "/blocked_dates")
    }
    if !blockedWindows.isEmpty && !allowedWindows.isEmpty {
      throw DrillError(
        "Give blocked windows or allowed windows, not both: allowed windows already exclude every other time.",
        field: "/allowed_windows")
    }
    return self
  }

  /// These rails with the configuration's defaults added: dates, blocked windows and alarms add up; the drill's
  /// allowed windows replace the defaults' (and blocked windows of the drill drop default allowed ones).
  public func merged(with defaults: DrillGuardRails) -> DrillGuardRails {
    var merged = self
    merged.blockedDates = Array(Set(blockedDates + defaults.blockedDates)).sorted()
    if allowedWindows.isEmpty && blockedWindows.isEmpty {
      merged.allowedWindows = defaults.allowedWindows
    }
    if merged.allowedWindows.isEmpty { merged.blockedWindows = blockedWindows + defaults.blockedWindows }
    merged.blockingAlarms = Array(Set(blockingAlarms + defaults.blockingAlarms)).sorted()
    merged.outcomeAlarms = Array(Set(outcomeAlarms + defaults.outcomeAlarms)).sorted()
    return merged
  }

  enum CodingKeys: String, CodingKey {
    case blockedDates = "blocked_dates", blockedWindows = "blocked_windows", allowedWindows =
      "allowed_windows"
    case blockingAlarms = "blocking_alarms", outcomeAlarms = "outcome_alarms"
  }
}
