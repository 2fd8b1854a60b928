import Foundation

/// A `serve` configuration for tests: one service in two regions probed on loopback every second, its store in a
/// fresh folder, AWS at `endpoint` (moto or the counting proxy), written to a file.
struct ServeConfig {
  var service = "api.example.com"
  var zone = "example.com"
  var routing = "record"
  /// The service's `provider` (route53 when nil).
  var provider: String?
  var primaryHealthURL: String
  var secondaryHealthURL: String
  var awsEndpoint = "http://127.0.0.1:9"
  /// Whether the file has an `aws:` section (without one, and without Route53 services, nothing calls AWS).
  var hasAWSSection = true
  var webhookURL: String?
  var failureThreshold = 1
  /// The primary probe's `latency_budget` (a slower answer makes the primary degraded), if any.
  var primaryLatencyBudget: String?
  /// A CloudWatch alarm signal of the whole primary region (us-east-1), if any.
  var primaryRegionAlarm: String?
  /// `aws.alarm_poll_interval`, if set.
  var alarmPollInterval: String?
  var directory: String
  var extraYAML = ""
  /// The service's `runbook:` block (lines indented under the service, starting with a newline); empty for none.
  var serviceRunbookYAML = ""

  /// The SQLite file inside the test's folder.
  var storagePath: String { directory + "/switchboard.sqlite" }
  /// Where `write()` puts the file.
  var path: String { directory + "/config.yaml" }

  init(primaryHealthURL: String, secondaryHealthURL: String, directory: String) {
    self.primaryHealthURL = primaryHealthURL
    self.secondaryHealthURL = secondaryHealthURL
    self.directory = directory
  }

  var yaml: String {
    """
    listen: 127.0.0.1:8080
    public_dir: Public
    storage:
      path: \(storagePath)
    \(awsSection)\
    \(webhookURL.map { "notifications:\n  webhook:\n    url: \($0)\n" } ?? "")\
    policy:
      minimum_dwell: 1s
      max_automatic_failovers_per_hour: 100
      automatic_failback: false
      step_retry:
        max_attempts: 5
        base_delay: 200ms
        max_delay: 1s
      notification_retry:
        max_attempts: 2
        base_delay: 100ms
        max_delay: 200ms
      sync_poll_interval: 200ms
    regions:
      - id: us-east-1\(primaryRegionSignals)
      - id: us-west-2
    services:
      - id: \(service)
        dns_name: \(service)
        hosted_zone: \(zone)
        record_type: A
        ttl: 60
        routing: \(routing)\(provider.map { "\n    provider: \($0)" } ?? "")
        health_rule: all
        regions:
          - region: us-east-1
            target: 192.0.2.10
            signals:
              - type: http
                url: \(primaryHealthURL)
                interval: 1
                failure_threshold: \(failureThreshold)
                success_threshold: 1\(primaryLatencyBudgetLine)
          - region: us-west-2
            target: 192.0.2.20
            signals:
              - type: http
                url: \(secondaryHealthURL)
                interval: 1
                failure_threshold: \(failureThreshold)
                success_threshold: 1\(serviceRunbookYAML)
    \(extraYAML)
    """
  }

  private var awsSection: String {
    hasAWSSection ? "aws:\n  region: us-east-1\n  endpoint_url: \(awsEndpoint)\(alarmPollLine)\n" : ""
  }
  private var alarmPollLine: String { alarmPollInterval.map { "\n  alarm_poll_interval: \($0)" } ?? "" }
  private var primaryRegionSignals: String {
    primaryRegionAlarm.map { "\n    signals:\n      - type: cloudwatch-alarm\n        name: \($0)" } ?? ""
  }
  private var primaryLatencyBudgetLine: String {
    primaryLatencyBudget.map { "\n            latency_budget: \($0)" } ?? ""
  }

  /// Writes the file and returns its path.
  @discardableResult
  func write() throws -> String {
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
