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

    let status = try await SwitchboardBinary.run(["status"], environment: client)
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
    #expect(wrongToken.status == 1)
    #expect(wrongToken.stderr.contains("HTTP 401"), "\(wrongToken)")
  }
}
