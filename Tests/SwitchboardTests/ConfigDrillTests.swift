import Configuration
import FailoverCore
import Foundation
import Switchboard
import Testing

@Suite("Configuration: drills")
struct ConfigDrillTests {
  @Test("Given no drills section, then drills have no default rails and a 5-minute missed-start deadline")
  func defaults() throws {
    let config = try SwitchboardConfig.parse(yaml: ConfigSecretTests.yaml(""))

    #expect(config.drills == DrillDefaults(guardRails: DrillGuardRails(), missedStartDeadline: 300))
  }

  @Test("Given a drills section, then dates, windows, alarms and the deadline are decoded")
  func decoded() throws {
    let config = try SwitchboardConfig.parse(
      yaml: ConfigSecretTests.yaml(
        "drills:\n  blocked_dates: [\"2026-12-24\"]\n  blocked_windows: [\"Fri 16:00-Mon 08:00\"]\n"
          + "  blocking_alarms: [deploy]\n  outcome_alarms: [errors]\n  missed_start_deadline: 2m\n"))

    #expect(config.drills.guardRails.blockedDates == ["2026-12-24"])
    #expect(
      config.drills.guardRails.blockedWindows == [try WeeklyWindow(start: "Fri 16:00", end: "Mon 08:00")])
    #expect(config.drills.guardRails.blockingAlarms == ["deploy"])
    #expect(config.drills.guardRails.outcomeAlarms == ["errors"])
    #expect(config.drills.missedStartDeadline == 120)
  }

  @Test(
    "Given a malformed window, both window kinds and an unknown key, then each is a problem with its line")
  func refused() {
    let problems = ConfigValidator.validate(
      yaml: ConfigSecretTests.yaml(
        "drills:\n  blocked_windows: [\"Fri 16\"]\n  allowed_windows: [\"Tue 09:00-Tue 12:00\"]\n"
          + "  blocked_window: []\n  blocked_dates: [\"2026-12-24\"]\n"))

    let messages = problems.map(\.message).joined(separator: "\n")
    #expect(messages.contains("not a weekly window"), "\(messages)")
    #expect(messages.contains("blocked_window"), "\(messages)")
    #expect(problems.contains { $0.line == 2 }, "\(problems)")
  }

  @Test("Given blocked and allowed windows together, then the file is refused with the reason")
  func bothWindowKinds() {
    let problems = ConfigValidator.validate(
      yaml: ConfigSecretTests.yaml(
        "drills:\n  blocked_windows: [\"Fri 16:00-Mon 08:00\"]\n  allowed_windows: [\"Tue 09:00-Tue 12:00\"]\n"
      ))

    #expect(problems.contains { $0.message.contains("not both") }, "\(problems)")
  }
}
