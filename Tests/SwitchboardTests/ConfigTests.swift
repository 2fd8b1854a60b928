import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import Testing

@Suite("Configuration: decoding, validation with line:column, environment overrides")
struct ConfigTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

  @Test(
    "Given each example file, when validated, then it has no problems",
    arguments: ["two-region.yaml", "weighted.yaml", "failover-health-check.yaml"])
  func examplesValidate(name: String) {
    let path = Self.examples.appendingPathComponent(name).path
    #expect(ConfigValidator.validate(path: path, environment: [:]) == [])
  }

  @Test("Given the seed recipe example, when loaded, then it maps onto the core model")
  func twoRegionExample() throws {
    let config = try SwitchboardConfig.load(
      path: Self.examples.appendingPathComponent("two-region.yaml").path, environment: [:])
    #expect(config.listen == ListenAddress(host: "127.0.0.1", port: 8080))
    #expect(config.publicDirectory == "Public")
    #expect(config.storagePath.hasPrefix("data/"))
    #expect(config.regions.map(\.id) == ["us-east-1", "us-west-2"])
    let service = try #require(config.service("api.example.com"))
    #expect(service.hostedZone == "example.com")
    #expect(service.routingMode == .record)
    #expect(service.primary == "us-east-1")
    guard case .httpProbe(let probe) = service.regions[1].signals.first else {
      Issue.record("expected an HTTP probe")
      return
    }
    #expect(probe.url == "http://127.0.0.1:9002/health")
    #expect(probe.interval == 1)
    #expect(probe.failureThreshold == 3)
    #expect(probe.connectTimeout == 4)
    #expect(probe.responseTimeout == 2)
    #expect(config.policy.minimumDwell == 600)
  }

  @Test(
    "Given aws.alarm_poll_interval, then alarms are polled at that pace (10 s when left out); out of range is a problem at its line"
  )
  func alarmPollInterval() throws {
    let example = try String(
      contentsOf: Self.examples.appendingPathComponent("two-region.yaml"), encoding: .utf8)
    #expect(try SwitchboardConfig.parse(yaml: example).aws.alarmPollInterval == 10)
    #expect(EngineSettings(config: try SwitchboardConfig.parse(yaml: example)).alarmPollInterval == 10)
    let every2s = example.replacingOccurrences(
      of: "aws:\n  region: us-east-1\n", with: "aws:\n  region: us-east-1\n  alarm_poll_interval: 2s\n")
    #expect(every2s != example)
    let config = try SwitchboardConfig.parse(yaml: every2s)
    #expect(config.aws.alarmPollInterval == 2)
    #expect(EngineSettings(config: config).alarmPollInterval == 2)
    let tooFast = example.replacingOccurrences(
      of: "aws:\n  region: us-east-1\n", with: "aws:\n  region: us-east-1\n  alarm_poll_interval: 100ms\n")
    let problems = ConfigValidator.validate(yaml: tooFast)
    let line = tooFast.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
      $0.contains("alarm_poll_interval")
    }
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.line == line.map { $0 + 1 })
    #expect(problems.first?.message == "`aws.alarm_poll_interval` is 100ms; it must be between 1s and 5m.")
  }

  @Test("Given the weighted example, then weights, durations, statuses and the quorum rule are decoded")
  func weightedExample() throws {
    let config = try SwitchboardConfig.load(
      path: Self.examples.appendingPathComponent("weighted.yaml").path, environment: [:])
    let service = try #require(config.service("web"))
    #expect(service.routingMode == .weighted)
    #expect(service.healthRule == .quorum(2))
    #expect(service.regions.map(\.weight) == [60, 40])
    guard case .httpProbe(let probe) = service.regions[0].signals[0] else {
      Issue.record("expected an HTTP probe")
      return
    }
    #expect(probe.latencyBudget == 0.8)
    #expect(probe.expectedStatuses == [200, 204])
    #expect(probe.successThreshold == 2)
    #expect(config.policy.failbackHoldTime == 900)
    #expect(
      config.regions[0].signals == [.cloudWatchAlarm(AlarmSignalSpec(alarmName: "us-east-1-regional-errors"))]
    )
  }

  @Test(
    "Given a file with many mistakes, when validated, then every problem is reported with its line and column"
  )
  func everyProblemAtOnce() {
    let yaml = """
      listen: 127.0.0.1:notaport
      public_dir: Public
      polcy:
        minimum_dwell: 10m
      regions:
        - id: us-east-1
        - id: us-east-1
      services:
        - dns_name: api.example.com
          hosted_zone: example.com
          routing: wieghted
          ttl: abc
          regions:
            - region: us-east-2
              target: 192.0.2.10
              signals:
                - type: http
                  url: http://127.0.0.1:9001/health
                  interval: 0
                  failure_threshold: 11
        - dns_name: www.other.org
          hosted_zone: example.com
          regions: []

      """
    let problems = ConfigValidator.validate(yaml: yaml)
    let located = problems.map { "\($0.line):\($0.column)" }
    #expect(problems.count == 10, "\(problems.map(\.description).joined(separator: "\n"))")
    #expect(located.contains("1:9"))
    #expect(
      problems.contains { $0.line == 3 && $0.column == 1 && $0.message.contains("did you mean `policy`?") })
    #expect(problems.contains { $0.line == 7 && $0.message == "Region us-east-1 is declared twice." })
    #expect(
      problems.contains { $0.line == 11 && $0.column == 14 && $0.message.contains("did you mean weighted?") })
    #expect(problems.contains { $0.line == 12 && $0.column == 10 && $0.message.contains("whole number") })
    #expect(problems.contains { $0.line == 14 && $0.message.contains("us-east-2, which is not declared") })
    #expect(
      problems.contains { $0.line == 19 && $0.column == 23 && $0.message.contains("between 1s and 5m") })
    #expect(problems.contains { $0.line == 20 && $0.column == 32 && $0.message.contains("between 1 and 10") })
    #expect(problems.contains { $0.line == 21 && $0.message.contains("not inside the hosted zone") })
    #expect(problems.contains { $0.line == 23 && $0.message.contains("at least one region") })
    #expect(problems.map(\.line) == problems.map(\.line).sorted())
  }

  @Test("Given broken YAML syntax, then one problem names where the parser stopped")
  func syntaxError() {
    let problems = ConfigValidator.validate(yaml: "regions:\n  - id: a\n services: [\n")
    #expect(problems.count == 1)
    #expect(problems.first?.message.hasPrefix("The file is not valid YAML") == true)
    #expect(problems.first?.line == 3)
  }

  @Test("Given missing sections and AWS secrets in the file, then each is a plain sentence")
  func missingSectionsAndSecrets() {
    let yaml = """
      aws:
        secret_access_key: hunter2
      regions: []

      """
    let problems = ConfigValidator.validate(yaml: yaml)
    #expect(problems.contains { $0.line == 2 && $0.message.contains("AWS_SECRET_ACCESS_KEY") })
    #expect(problems.contains { $0.message.contains("needs `services`") })
    #expect(!problems.contains { $0.message.contains("hunter2") })
  }

  @Test(
    "Given SWITCHBOARD_ADMIN_TOKEN and AWS_ENDPOINT_URL, then they supply the secrets the file leaves out")
  func environmentOverrides() throws {
    let environment = [
      "SWITCHBOARD_ADMIN_TOKEN": "s3cret", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
      "SWITCHBOARD_WEBHOOK_URL": "https://hooks.example.com/x",
    ]
    let config = try SwitchboardConfig.load(
      path: Self.examples.appendingPathComponent("two-region.yaml").path, environment: environment)
    // SHA-256("s3cret"), computed independently with sha256sum.
    let expected = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"
    #expect(config.tokens == [AuthToken(name: "admin", role: .admin, sha256: expected)])
    #expect(config.aws.endpointURL == "http://127.0.0.1:5000")
    #expect(config.notifications.webhookURL == "https://hooks.example.com/x")
  }

  @Test("Given a missing file, then load throws a ConfigError with a sentence")
  func missingFile() throws {
    let error = try #require(throws: ConfigError.self) {
      try SwitchboardConfig.load(path: "/nonexistent/switchboard.yaml", environment: [:])
    }
    #expect(error.description.hasPrefix("/nonexistent/switchboard.yaml:1:1: The file cannot be read"))
  }
}

@Suite("Configuration: locations stay right around broken entries")
struct ConfigLocationTests {
  @Test("Given a broken region before a duplicate, then the duplicate is reported at its own line")
  func duplicateAfterBrokenEntry() {
    let yaml = """
      regions:
        - signals: []
        - id: us-east-1
        - id: us-east-1
      services:
        - dns_name: api.example.com
          hosted_zone: example.com
          regions:
            - target: 192.0.2.10
            - region: us-east-1
              target: 192.0.2.11
            - region: us-east-1
              target: 192.0.2.12
              signals:
                - type: htp
                  url: http://127.0.0.1:9001/health

      """
    let problems = ConfigValidator.validate(yaml: yaml).map(\.description)
    #expect(problems.contains { $0.hasPrefix("2:5: `regions[0]` needs `id`") }, "\(problems)")
    #expect(problems.contains("4:9: Region us-east-1 is declared twice."), "\(problems)")
    #expect(problems.contains { $0.hasPrefix("9:9: `services[0].regions[0]` needs `region`") }, "\(problems)")
    #expect(problems.contains("12:17: Service api.example.com lists region us-east-1 twice."), "\(problems)")
    #expect(
      problems.contains {
        $0.hasPrefix("15:19: `services[0].regions[2].signals[0].type` must be one of")
          && $0.hasSuffix("did you mean http?")
      }, "\(problems)")
  }

  @Test("Given a key written twice, then the second one is reported at its line")
  func duplicateKeys() {
    let problems = ConfigValidator.validate(
      yaml: "listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\nregions: []\nservices: []\n")
    #expect(
      problems.map(\.description) == ["2:1: The key `listen` appears twice in the same mapping; keep one."])
  }
}
