import FailoverCore
import Foundation
import Testing

/// Parses an RFC 3339 instant (tests only).
func instant(_ text: String) -> Date {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime]
  return formatter.date(from: text)!
}

@Suite("Drill calendar: cron in named zones, windows, blocked dates, overlaps")
struct DrillCalendarTests {
  func next(_ cron: String, _ zone: String, after: String, count: Int = 2) throws -> [Date] {
    try CronExpression(cron).occurrences(after: instant(after), in: TimeZone(identifier: zone)!, count: count)
  }

  @Test("Given Tuesdays 10:00 Europe/Berlin, when clocks go forward (29 Mar 2026), then it stays 10:00 local")
  func berlinTuesdaysAcrossSpringForward() throws {
    #expect(
      try next("0 10 * * TUE", "Europe/Berlin", after: "2026-03-20T00:00:00Z") == [
        instant("2026-03-24T09:00:00Z"), instant("2026-03-31T08:00:00Z"),
      ])
  }

  @Test("Given Tuesdays 10:00 Europe/Berlin, when clocks go back (25 Oct 2026), then it stays 10:00 local")
  func berlinTuesdaysAcrossFallBack() throws {
    #expect(
      try next("0 10 * * 2", "Europe/Berlin", after: "2026-10-21T00:00:00Z") == [
        instant("2026-10-27T09:00:00Z"), instant("2026-11-03T09:00:00Z"),
      ])
  }

  @Test(
    "Given 02:30 daily in Europe/Berlin, when 02:30 is skipped, then it runs once at 03:00 (the gap's end)")
  func berlinSkippedHour() throws {
    #expect(
      try next("30 2 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00Z", count: 2) == [
        instant("2026-03-29T01:00:00Z"), instant("2026-03-30T00:30:00Z"),
      ])
    #expect(
      try next("*/15 2 * * *", "Europe/Berlin", after: "2026-03-28T23:00:00Z", count: 2) == [
        instant("2026-03-29T01:00:00Z"), instant("2026-03-30T00:00:00Z"),
      ])
  }

  @Test("Given 02:30 daily in Europe/Berlin, when 02:30 happens twice, then it runs once, at the first")
  func berlinRepeatedHour() throws {
    #expect(
      try next("30 2 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00Z", count: 2) == [
        instant("2026-10-25T00:30:00Z"), instant("2026-10-26T01:30:00Z"),
      ])
  }

  @Test(
    "Given America/New_York, when both transitions pass, then the skipped 02:00 runs at 03:00 and 01:30 once")
  func newYorkTransitions() throws {
    #expect(
      try next("0 2 * * *", "America/New_York", after: "2026-03-07T12:00:00Z", count: 2) == [
        instant("2026-03-08T07:00:00Z"), instant("2026-03-09T06:00:00Z"),
      ])
    #expect(
      try next("30 1 * * *", "America/New_York", after: "2026-10-31T12:00:00Z", count: 2) == [
        instant("2026-11-01T05:30:00Z"), instant("2026-11-02T06:30:00Z"),
      ])
  }

  @Test("Given Australia/Sydney, when its autumn and spring transitions pass, then the same rules hold")
  func sydneyTransitions() throws {
    #expect(
      try next("30 2 * * *", "Australia/Sydney", after: "2026-04-04T00:00:00Z", count: 2) == [
        instant("2026-04-04T15:30:00Z"), instant("2026-04-05T16:30:00Z"),
      ])
    #expect(
      try next("30 2 * * *", "Australia/Sydney", after: "2026-10-03T00:00:00Z", count: 2) == [
        instant("2026-10-03T16:00:00Z"), instant("2026-10-04T15:30:00Z"),
      ])
  }

  @Test(
    "Given day-of-month and day-of-week both restricted, when occurrences are listed, then either matches")
  func eitherDayField() throws {
    #expect(
      try next("0 12 1 * MON", "UTC", after: "2026-06-01T13:00:00Z", count: 2) == [
        instant("2026-06-08T12:00:00Z"), instant("2026-06-15T12:00:00Z"),
      ])
    #expect(
      try next("0 0 29 2 *", "UTC", after: "2026-01-01T00:00:00Z", count: 1) == [
        instant("2028-02-29T00:00:00Z")
      ])
  }

  @Test("Given malformed expressions, when they are parsed, then each is refused with the field named")
  func malformed() {
    for (text, words) in [
      ("0 10 * *", "5 fields"), ("61 * * * *", "minute"), ("0 24 * * *", "hour"),
      ("0 0 0 * *", "day-of-month"),
      ("0 0 * 13 *", "month"), ("0 0 * * FUNDAY", "day-of-week"), ("*/0 * * * *", "step"),
      ("5-1 * * * *", "backwards"),
    ] {
      #expect(throws: DrillError.self) { try CronExpression(text) }
      do { _ = try CronExpression(text) } catch {
        #expect(error.message.contains(words), "\(text): \(error)")
      }
    }
  }

  @Test(
    "Given Fri 22:00-Mon 06:00 in Europe/Berlin, when instants around midnight and the week's end are read, then only those inside are"
  )
  func windowAcrossWeekBoundary() throws {
    let window = try WeeklyWindow(start: "Fri 22:00", end: "Mon 06:00")
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    #expect(window.contains(instant("2026-06-05T20:00:00Z"), in: berlin))  // Fri 22:00 local
    #expect(!window.contains(instant("2026-06-05T19:59:00Z"), in: berlin))  // Fri 21:59
    #expect(window.contains(instant("2026-06-06T22:30:00Z"), in: berlin))  // Sun 00:30
    #expect(window.contains(instant("2026-06-08T03:59:00Z"), in: berlin))  // Mon 05:59
    #expect(!window.contains(instant("2026-06-08T04:00:00Z"), in: berlin))  // Mon 06:00
    #expect(!window.contains(instant("2026-06-09T10:00:00Z"), in: berlin))  // Tue
    let night = try WeeklyWindow(start: "Wed 23:00", end: "Thu 01:00")
    #expect(night.contains(instant("2026-06-10T23:30:00Z"), in: TimeZone(identifier: "UTC")!))
    #expect(!night.contains(instant("2026-06-11T01:00:00Z"), in: TimeZone(identifier: "UTC")!))
    #expect(throws: DrillError.self) { try WeeklyWindow(start: "Fri 22", end: "Mon 06:00") }
  }

  @Test(
    "Given blocked dates in America/New_York, when runs fall on them in local time, then they are refused")
  func blockedDates() {
    let calendar = DrillCalendar(
      rails: DrillGuardRails(blockedDates: ["2026-12-24"]), zone: TimeZone(identifier: "America/New_York")!)
    let christmasEve = calendar.refusal(
      start: instant("2026-12-25T03:00:00Z"), end: instant("2026-12-25T03:30:00Z"))
    #expect(christmasEve?.contains("2026-12-24") == true)
    #expect(
      calendar.refusal(start: instant("2026-12-24T03:00:00Z"), end: instant("2026-12-24T03:30:00Z")) == nil)
    #expect(throws: DrillError.self) { try DrillGuardRails(blockedDates: ["24/12/2026"]).validated() }
  }

  @Test(
    "Given allowed and blocked windows, when runs start or end outside, then they are refused with the window"
  )
  func windows() throws {
    let utc = TimeZone(identifier: "UTC")!
    let allowed = DrillCalendar(
      rails: DrillGuardRails(allowedWindows: [try WeeklyWindow(start: "Tue 09:00", end: "Tue 12:00")]),
      zone: utc)
    #expect(
      allowed.refusal(start: instant("2026-06-09T10:00:00Z"), end: instant("2026-06-09T11:00:00Z")) == nil)
    #expect(
      allowed.refusal(start: instant("2026-06-09T11:30:00Z"), end: instant("2026-06-09T12:30:00Z"))?
        .contains("outside every allowed window") == true)
    let blocked = DrillCalendar(
      rails: DrillGuardRails(blockedWindows: [try WeeklyWindow(start: "Sun 22:00", end: "Mon 02:00")]),
      zone: utc)
    #expect(
      blocked.refusal(start: instant("2026-06-08T01:00:00Z"), end: instant("2026-06-08T01:30:00Z"))?
        .contains("Sun 22:00-Mon 02:00") == true)
    let both = DrillGuardRails(
      blockedWindows: [try WeeklyWindow(start: "Sun 22:00", end: "Mon 02:00")],
      allowedWindows: [try WeeklyWindow(start: "Tue 09:00", end: "Tue 12:00")])
    #expect(throws: DrillError.self) { try both.validated() }
  }

  @Test("Given a drill on a service, when another would run at an overlapping time, then it is refused")
  func overlapRefusal() throws {
    let service = Fixtures.service()
    let now = instant("2026-06-01T00:00:00Z")
    let existing = Drill(
      id: "d-1", subject: .service(Fixtures.api), targetRegion: Fixtures.west, mode: .live, holdSeconds: 1800,
      objectiveSeconds: 120, schedule: .recurring(try CronExpression("0 10 * * TUE"), zone: "UTC"),
      createdBy: "a",
      reason: "r", createdAt: now)
    let clash = DrillDraft(
      subject: .service(Fixtures.api), targetRegion: Fixtures.west, mode: .dryRun, holdSeconds: 60,
      objectiveSeconds: 60, schedule: .once(instant("2026-06-09T10:20:00Z")))
    #expect(throws: DrillError.self) {
      try clash.validate(services: [service], routing: [:], others: [existing], now: now, id: "d-2")
    }
    var later = clash
    later.schedule = .once(instant("2026-06-09T12:00:00Z"))
    #expect(
      try later.validate(services: [service], routing: [:], others: [existing], now: now, id: "d-2").count
        == 1)
  }

  @Test(
    "Given a start time in the past or a target that is the primary, when validated, then each is refused")
  func draftRefusals() throws {
    let now = instant("2026-06-01T00:00:00Z")
    var draft = DrillDraft(
      subject: .service(Fixtures.api), targetRegion: Fixtures.west, mode: .live, holdSeconds: 60,
      objectiveSeconds: 60, schedule: .once(instant("2026-05-31T00:00:00Z")))
    #expect(throws: DrillError.self) {
      try draft.validate(services: [Fixtures.service()], routing: [:], others: [], now: now, id: "x")
    }
    draft.schedule = .once(instant("2026-06-02T00:00:00Z"))
    draft.targetRegion = Fixtures.east
    #expect(throws: DrillError.self) {
      try draft.validate(services: [Fixtures.service()], routing: [:], others: [], now: now, id: "x")
    }
    #expect(throws: DrillError.self) { try DrillSchedule.recurring(cron: "0 10 * * 2", zone: "Mars/Olympus") }
  }
}
