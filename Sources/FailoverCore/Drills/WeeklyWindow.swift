import Foundation

/// A recurring weekly stretch of local time, such as `Fri 22:00` to `Mon 06:00`: it may cross midnight and the end
/// of the week (Sunday to Monday). Start is inside the window, end is not.
public struct WeeklyWindow: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Minutes since Monday 00:00 where the window opens.
  public let startMinute: Int
  /// Minutes since Monday 00:00 where the window closes.
  public let endMinute: Int

  static let minutesPerWeek = 7 * 24 * 60
  static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

  /// A window from `start` to `end`, each written `Day HH:MM` (e.g. `Sat 00:00`).
  public init(start: String, end: String) throws(DrillError) {
    startMinute = try Self.minuteOfWeek(start)
    endMinute = try Self.minuteOfWeek(end)
    guard startMinute != endMinute else {
      throw DrillError("A weekly window from \(start) to \(end) is empty; give two different times.")
    }
  }

  /// Whether the window holds `date`, read in `zone`.
  public func contains(_ date: Date, in zone: TimeZone) -> Bool {
    let minute = Self.minuteOfWeek(of: date, in: zone)
    return startMinute < endMinute
      ? (startMinute <= minute && minute < endMinute)
      : (minute >= startMinute || minute < endMinute)
  }

  /// `Day HH:MM` of the start.
  public var start: String { Self.text(startMinute) }
  /// `Day HH:MM` of the end.
  public var end: String { Self.text(endMinute) }
  public var description: String { "\(start)-\(end)" }

  /// Parses `Day HH:MM-Day HH:MM` (e.g. `Fri 22:00-Mon 06:00`), the form JSON and the configuration use.
  public init(parsing text: String) throws(DrillError) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      throw DrillError("\"\(text)\" is not a weekly window; write it like \"Fri 22:00-Mon 06:00\".")
    }
    try self.init(
      start: parts[0].trimmingCharacters(in: .whitespaces), end: parts[1].trimmingCharacters(in: .whitespaces)
    )
  }

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do { try self.init(parsing: text) } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.message))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode("\(start)-\(end)")
  }

  /// Minutes since Monday 00:00 of `date` in `zone`.
  static func minuteOfWeek(of date: Date, in zone: TimeZone) -> Int {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
    let mondayBased = ((parts.weekday ?? 1) + 5) % 7
    return mondayBased * 1440 + (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
  }

  private static func minuteOfWeek(_ text: String) throws(DrillError) -> Int {
    let parts = text.split(separator: " ")
    let clock = parts.count == 2 ? parts[1].split(separator: ":") : []
    guard parts.count == 2,
      let day = dayNames.firstIndex(where: { $0.lowercased() == parts[0].lowercased() }),
      clock.count == 2, clock[1].count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]),
      (0...23).contains(hour), (0...59).contains(minute)
    else {
      throw DrillError("\"\(text)\" is not a weekly time; write a day and a time such as \"Sat 22:00\".")
    }
    return day * 1440 + hour * 60 + minute
  }

  private static func text(_ minute: Int) -> String {
    let day = dayNames[minute / 1440]
    return "\(day) " + String(format: "%02d:%02d", (minute % 1440) / 60, minute % 60)
  }
}
