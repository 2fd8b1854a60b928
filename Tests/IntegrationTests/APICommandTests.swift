import Foundation
import Testing

/// `switchboard status` and `switchboard override` against a real `serve`, as an operator would use them.
@Suite("status and override commands")
struct APICommandTests {
  @Test(
    "Given a running serve, when an override is created, listed, shown and cleared from the CLI, then each step works"
  )
  func overrideRoundTrip() async throws {
    let regions = try ServeCommandTests.Regions()
    defer { Task { await regions.stop() } }
    let config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("cli-api"))
    let token = "cli-admin-token"
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used",
        "SWITCHBOARD_ADMIN_TOKEN": token,
      ]))
    defer { serve.kill() }
    let client = try SwitchboardBinary.isolatedEnvironment([
      "SWITCHBOARD_URL": serve.base, "SWITCHBOARD_TOKEN": token,
    ])

    let created = try await SwitchboardBinary.run(
      [
        "override", "create", "--scope", "service:api.example.com", "--kind", "block", "--reason", "deploy",
        "--duration", "30m",
      ],
      environment: client)
    #expect(created.status == 0, "\(created)")
    let id = try #require(created.lines.first)
    #expect(created.stderr.contains("block override \(id)"))

    let listed = try await SwitchboardBinary.run(["override", "list"], environment: client)
    #expect(listed.status == 0)
    #expect(listed.stdout.contains("\(id)  active  block  service:api.example.com"), "\(listed)")
    #expect(listed.stdout.contains("by admin: deploy"))

    let status = try await Self.statusOnceSettled(client, expecting: 0)
    #expect(status.status == 0, "\(status)")
    #expect(status.stdout.contains("api.example.com:"))
    #expect(status.stdout.contains("override block override \(id)"))

    let cleared = try await SwitchboardBinary.run(["override", "clear", id], environment: client)
    #expect(cleared.status == 0, "\(cleared)")
    let after = try await SwitchboardBinary.run(["override", "list", "--all"], environment: client)
    #expect(after.stdout.contains("\(id)  ended"), "\(after)")

    let missing = try await SwitchboardBinary.run(["override", "clear", "no-such-id"], environment: client)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("HTTP 404: There is no override no-such-id."), "\(missing)")
    let wrongToken = try await SwitchboardBinary.run(["status", "--token", "wrong"], environment: client)
    #expect(wrongToken.status == 3, "a check that cannot read the health is UNKNOWN")
    #expect(wrongToken.stderr.contains("HTTP 401"), "\(wrongToken)")
  }

  @Test(
    "Given a running serve, when its services turn degraded, then down, then it stops, then status exits 0, 1, 2, then 3 (Nagios)"
  )
  func statusExitCodes() async throws {
    let regions = try ServeCommandTests.Regions()
    defer { Task { await regions.stop() } }
    var config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("cli-status"))
    config.primaryLatencyBudget = "150ms"
    let token = "cli-status-token"
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used",
        "SWITCHBOARD_VIEWER_TOKEN": token,
      ]))
    defer { serve.kill() }
    let client = try SwitchboardBinary.isolatedEnvironment([
      "SWITCHBOARD_URL": serve.base, "SWITCHBOARD_TOKEN": token,
    ])

    let healthy = try await Self.statusOnceSettled(client, expecting: 0)
    #expect(healthy.status == 0, "all healthy is OK: \(healthy)")
    #expect(healthy.stdout.contains("api.example.com: healthy"), "\(healthy)")
    #expect(
      healthy.stdout.contains("us-west-2: healthy — probe \(regions.healthURL(1)): answered HTTP 200 in"),
      "each reason names its probe once: \(healthy)")
    #expect(!healthy.stdout.contains("/health: http://"), "\(healthy)")

    regions.primary.setLatency(milliseconds: 400)
    let degraded = try await Self.statusOnceSettled(client, expecting: 1)
    #expect(degraded.status == 1, "a degraded service is WARNING: \(degraded)")
    #expect(degraded.stdout.contains("api.example.com: degraded"), "\(degraded)")

    regions.primary.setLatency(milliseconds: 0)
    regions.secondary.setFailing(true)
    regions.primary.setFailing(true)
    let outage = try await Self.statusOnceSettled(client, expecting: 2, arguments: ["--json"])
    #expect(outage.status == 2, "an unhealthy service is CRITICAL, with --json too: \(outage)")
    #expect(outage.stdout.contains("\"health\":\"unhealthy\""), "\(outage)")

    serve.kill()
    let unreachable = try await SwitchboardBinary.run(["status"], environment: client)
    #expect(unreachable.status == 3, "an unreachable server is UNKNOWN: \(unreachable)")
    #expect(unreachable.stderr.contains("does not answer"), "\(unreachable)")
  }

  /// Runs `switchboard status` until it exits `expecting` (probes run every second), at most 20 s; the last run.
  static func statusOnceSettled(
    _ environment: [String: String], expecting: Int32, arguments: [String] = []
  ) async throws -> CommandResult {
    let deadline = Date().addingTimeInterval(20)
    var result = try await SwitchboardBinary.run(["status"] + arguments, environment: environment)
    while result.status != expecting && Date() < deadline {
      try await Task.sleep(nanoseconds: 250_000_000)
      result = try await SwitchboardBinary.run(["status"] + arguments, environment: environment)
    }
    return result
  }
}
