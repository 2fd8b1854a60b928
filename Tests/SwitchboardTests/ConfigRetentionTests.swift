import Configuration
import Foundation
import Switchboard
import Testing

@Suite("Configuration: retention")
struct ConfigRetentionTests {
  @Test("Given no retention section, then events and workflows are kept 90 days, overrides 30, pruned hourly")
  func defaults() throws {
    let config = try SwitchboardConfig.parse(yaml: ConfigSecretTests.yaml(""))

    #expect(
      config.retention
        == RetentionSettings(events: 90 * 86400, workflows: 90 * 86400, overrides: 30 * 86400, interval: 3600)
    )
  }

  @Test("Given a retention section with days and hours, then each value is decoded")
  func decoded() throws {
    let config = try SwitchboardConfig.parse(
      yaml: ConfigSecretTests.yaml(
        "retention:\n  events: 365d\n  workflows: 30d\n  overrides: 48h\n  interval: 15m\n"))

    #expect(
      config.retention
        == RetentionSettings(events: 365 * 86400, workflows: 30 * 86400, overrides: 48 * 3600, interval: 900))
  }

  @Test(
    "Given a retention under an hour, an unknown key and a zero interval, then each is a problem with its line"
  )
  func refused() {
    let problems = ConfigValidator.validate(
      yaml: ConfigSecretTests.yaml("retention:\n  events: 10m\n  workflow: 30d\n  interval: 0\n"))

    #expect(problems.map(\.line) == [2, 3, 4], "\(problems)")
    #expect(problems[0].message.contains("`retention.events`"))
    #expect(problems[1].message.contains("did you mean `workflows`?"))
    #expect(problems[2].message.contains("`retention.interval`"))
  }
}
