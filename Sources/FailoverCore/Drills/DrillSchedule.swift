import Foundation

/// When a drill runs: once at an instant, or on a cron recurrence in a named IANA time zone.
public enum DrillSchedule: Sendable, Hashable, Codable {
  case once(Date)
  case recurring(CronExpression, zone: String)

  /// The time zone calendars and windows are read in (UTC for a one-shot drill unless given).
  public var timeZone: TimeZone {
    switch self {
    case .once: TimeZone(identifier: "UTC")!
    case .recurring(_, let zone): TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
    }
  }

  /// The first occurrence strictly after `date`; nil when there is none.
  public func next(after date: Date) -> Date? {
    switch self {
    case .once(let start): start > date ? start : nil
    case .recurring(let cron, _): cron.next(after: date, in: timeZone)
    }
  }

  /// Up to `count` occurrences strictly after `date`.
  public func occurrences(after date: Date, count: Int) -> [Date] {
    switch self {
    case .once(let start): start > date ? [start] : []
    case .recurring(let cron, _): cron.occurrences(after: date, in: timeZone, count: count)
    }
  }

  /// A recurrence, checking the expression and that the zone is a known IANA name.
  public static func recurring(cron text: String, zone: String) throws(DrillError) -> DrillSchedule {
    let cron: CronExpression
    do { cron = try CronExpression(text) } catch { throw DrillError(error.message, field: "/cron") }
    guard TimeZone(identifier: zone) != nil, zone.contains("/") || zone == "UTC" else {
      throw DrillError(
        "\"\(zone)\" is not an IANA time zone name; write one such as Europe/Berlin or UTC.",
        field: "/time_zone")
    }
    return .recurring(cron, zone: zone)
  }

  private enum CodingKeys: String, CodingKey { case startAt = "start_at", cron, timeZone = "time_zone" }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let start = try container.decodeIfPresent(Date.self, forKey: .startAt) {
      self = .once(start)
    } else {
      let cron = try container.decode(CronExpression.self, forKey: .cron)
      self = .recurring(cron, zone: try container.decodeIfPresent(String.self, forKey: .timeZone) ?? "UTC")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .once(let start): try container.encode(start, forKey: .startAt)
    case .recurring(let cron, let zone):
      try container.encode(cron, forKey: .cron)
      try container.encode(zone, forKey: .timeZone)
    }
  }
}
