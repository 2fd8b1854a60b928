import AWS
import Configuration
import FailoverCore
import Foundation
import Provisioning
import SwitchboardApplication
import Telemetry
import Testing

@Suite("Heartbeat wiring: no AWS in the configuration means no heartbeat")
struct HeartbeatWiringTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

  func publisher(_ example: String, appending extra: String = "") throws -> HeartbeatPublisher? {
    let text = try String(contentsOf: Self.examples.appendingPathComponent(example), encoding: .utf8)
    let config = try SwitchboardConfig.parse(yaml: text + extra)
    return HeartbeatPublisher.configured(
      config: config, clients: AWSClients(config: config, environment: [:]), metrics: SwitchboardMetrics(),
      clock: SystemClock())
  }

  @Test("Given the built-in DNS example (no aws section, no Route53), then no heartbeat is built")
  func noAWSNoHeartbeat() throws {
    #expect(try publisher("builtin-dns.yaml") == nil)
  }

  @Test(
    "Given a Route53 example with a cluster section, then the heartbeat names the cluster and its interval")
  func route53ExampleBeats() throws {
    let built = try #require(
      try publisher("two-region.yaml", appending: "\ncluster:\n  name: prod\n  heartbeat_interval: 30s\n"))
    #expect(built.cluster == "prod")
    #expect(built.interval == 30)
    #expect(built.isLeader())
  }
}
