import Foundation

/// A 5-field cron expression (minute hour day-of-month month day-of-week), read in a named IANA time zone.
///
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and comma lists; months take `JAN`…`DEC` and
/// days of the week `SUN`…`SAT` (0 and 7 are both Sunday). When both day fields are restricted a day matches
/// either (as in Vixie cron).
///
/// Daylight saving, in the schedule's zone: a local time that does not exist (the hour skipped when clocks go
/// forward) runs once, at the first instant after the gap (03:00 in Europe/Berlin); a local time that happens twice
/// (the hour repeated when clocks go back) runs once, at its first occurrence (the earlier UTC instant).
public struct CronExpression: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The expression as written.
  public let text: String
  let minutes: Set<Int>
  let hours: Set<Int>
  let daysOfMonth: Set<Int>
  let months: Set<Int>
  let daysOfWeek: Set<Int>
  let dayOfMonthRestricted: Bool
  let dayOfWeekRestricted: Bool

  /// Parses `text`; the error says which field is wrong and why.
  public init(_ text: String) throws(DrillError) {
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard fields.count == 5 else {
      throw DrillError(
        "A cron expression has 5 fields (minute hour day-of-month month day-of-week), \"\(text)\" has "
          + "\(fields.count).")
    }
    self.text = fields.joined(separator: " ")
    minutes = try Self.field(fields[0], "minute", 0...59)
    hours = try Self.field(fields[1], "hour", 0...23)
    daysOfMonth = try Self.field(fields[2], "day-of-month", 1...31)
    months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames)
    daysOfWeek = Set(try Self.field(fields[4], "day-of-week", 0...7, names: Self.dayNames).map { $0 % 7 })
    dayOfMonthRestricted = fields[2] != "*" && fields[2] != "?"
    dayOfWeekRestricted = fields[4] != "*" && fields[4] != "?"
  }

  public var description: String { text }

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do { try self.init(text) } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.message))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }

  /// The first occurrence strictly after `date` in `zone`; nil when none falls within eight years (e.g. 30 Feb).
  public func next(after date: Date, in zone: TimeZone) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let start = calendar.dateComponents([.year, .month, .day], from: date)
    guard
      var day = calendar.date(
        from: DateComponents(year: start.year, month: start.month, day: start.day, hour: 12))
    else { return nil }
    let sortedHours = hours.sorted()
    let sortedMinutes = minutes.sorted()
    for _ in 0..<(366 * 8) {
      let local = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
      if let year = local.year, let month = local.month, let dayOfMonth = local.day,
        let weekday = local.weekday,
        matchesDay(month: month, day: dayOfMonth, weekday: weekday - 1)
      {
        for hour in sortedHours {
          for minute in sortedMinutes {
            let wall = LocalTime(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
            if let instant = wall.instant(in: zone), instant > date { return instant }
          }
        }
      }
      guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
      day = following
    }
    return nil
  }

  /// The next `count` occurrences after `date`.
  public func occurrences(after date: Date, in zone: TimeZone, count: Int) -> [Date] {
    var found: [Date] = []
    var cursor = date
    while found.count < count, let next = next(after: cursor, in: zone) {
      found.append(next)
      cursor = next
    }
    return found
  }

  private func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
    guard months.contains(month) else { return false }
    switch (dayOfMonthRestricted, dayOfWeekRestricted) {
    case (true, true): return daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
    case (true, false): return daysOfMonth.contains(day)
    case (false, true): return daysOfWeek.contains(weekday)
    case (false, false): return true
    }
  }

  static let monthNames = [
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
    "NOV": 11, "DEC": 12,
  ]
  static let dayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]

  private static func field(
    _ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String: Int] = [:]
  ) throws(DrillError) -> Set<Int> {
    func value(_ token: Substring) throws(DrillError) -> Int {
      if let number = Int(token), range.contains(number) { return number }
      if let named = names[token.uppercased()] { return named }
      throw DrillError(
        "The \(name) field \"\(text)\" has \"\(token)\", which is not in \(range.lowerBound)-\(range.upperBound)."
      )
    }
    var result: Set<Int> = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
      guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else {
        throw DrillError("The \(name) field \"\(text)\" is malformed.")
      }
      var step = 1
      if pieces.count == 2 {
        guard let parsed = Int(pieces[1]), parsed > 0 else {
          throw DrillError("The \(name) field \"\(text)\" has a step that is not a positive number.")
        }
        step = parsed
      }
      var low = range.lowerBound
      var high = range.upperBound
      if base != "*" && base != "?" {
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { throw DrillError("The \(name) field \"\(text)\" is malformed.") }
        low = try value(bounds[0])
        high = bounds.count == 2 ? try value(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
        guard low <= high else {
          throw DrillError("The \(name) field \"\(text)\" has a range that runs backwards.")
        }
      }
      result.formUnion(stride(from: low, through: high, by: step))
    }
    return result
  }
}

/// A wall-clock minute in some zone, resolved to an instant by the daylight-saving rule of `CronExpression`.
struct LocalTime: Sendable, Hashable {
  var year: Int
  var month: Int
  var day: Int
  var hour: Int
  var minute: Int

  /// The instant this wall time names in `zone`: the earlier of two in a repeated hour, the end of the gap in a
  /// skipped one.
  func instant(in zone: TimeZone) -> Date? {
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    guard
      let wall = utc.date(
        from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))
    else { return nil }
    let before = zone.secondsFromGMT(for: wall.addingTimeInterval(-86_400))
    let after = zone.secondsFromGMT(for: wall.addingTimeInterval(86_400))
    let candidates = Set([before, after]).map { wall.addingTimeInterval(-Double($0)) }
      .filter { zone.secondsFromGMT(for: $0) == Int(wall.timeIntervalSince($0)) }
    if let earliest = candidates.min() { return earliest }
    // In the gap: the transition where local time jumps past this wall time.
    return zone.nextDaylightSavingTimeTransition(after: wall.addingTimeInterval(-Double(after)))
  }
}
