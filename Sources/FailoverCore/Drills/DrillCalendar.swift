import Foundation

/// Whether a run may take place at a given time: blocked dates, blocked or allowed weekly windows, in the
/// schedule's time zone; and whether two drills' runs would overlap.
public struct DrillCalendar: Sendable {
  /// The guard rails in force (defaults merged).
  public var rails: DrillGuardRails
  /// The zone dates and windows are read in.
  public var zone: TimeZone

  /// A calendar for `rails` read in `zone`.
  public init(rails: DrillGuardRails, zone: TimeZone) {
    self.rails = rails
    self.zone = zone
  }

  /// Why a run from `start` to `end` may not take place; nil when it may.
  public func refusal(start: Date, end: Date) -> String? {
    let startDay = Self.localDay(start, in: zone)
    let endDay = Self.localDay(end, in: zone)
    for day in [startDay, endDay] where rails.blockedDates.contains(day) {
      return "\(day) is a blocked date in \(zone.identifier)."
    }
    for window in rails.blockedWindows
    where window.contains(start, in: zone) || window.contains(end, in: zone) {
      return
        "The run (\(Self.local(start, zone)) to \(Self.local(end, zone))) falls in the blocked window \(window)."
    }
    if !rails.allowedWindows.isEmpty,
      !rails.allowedWindows.contains(where: { $0.contains(start, in: zone) && $0.contains(end, in: zone) })
    {
      return
        "The run (\(Self.local(start, zone)) to \(Self.local(end, zone))) is outside every allowed window ("
        + rails.allowedWindows.map(\.description).joined(separator: ", ") + ")."
    }
    return nil
  }

  /// A run's stretch of time, for overlap checks.
  public struct Slot: Sendable, Hashable {
    /// The drill the run belongs to.
    public var drillID: String
    /// When it starts.
    public var start: Date
    /// When it is expected to end (start + hold + an allowance for the two moves).
    public var end: Date
    /// A slot.
    public init(drillID: String, start: Date, end: Date) {
      self.drillID = drillID
      self.start = start
      self.end = end
    }
  }

  /// The first pair of slots (new, existing) that overlap; nil when none does.
  public static func overlap(_ new: [Slot], _ existing: [Slot]) -> (Slot, Slot)? {
    for slot in new {
      if let other = existing.first(where: { $0.start < slot.end && slot.start < $0.end }) {
        return (slot, other)
      }
    }
    return nil
  }

  /// `YYYY-MM-DD` of `date` in `zone`.
  public static func localDay(_ date: Date, in zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
  }

  /// The local wall time of `date` in `zone`, RFC 3339 with the zone's offset (e.g. `2026-03-31T10:00:00+02:00`).
  public static func local(_ date: Date, _ zone: TimeZone) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = zone
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  /// Parses `YYYY-MM-DD`; nil when malformed.
  static func localDate(_ text: String) -> (Int, Int, Int)? {
    let parts = text.split(separator: "-")
    guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]),
      let d = Int(parts[2]),
      (1...12).contains(m), (1...31).contains(d)
    else { return nil }
    return (y, m, d)
  }
}
