import Foundation
import HTTPServer
import SampleRegion
import Testing

/// `switchboard serve` moving a record on BIND `named` with RFC 2136 updates signed by TSIG: a failover changes
/// what `dig @named` answers; a wrong key gets NOTAUTH; a record changed behind Switchboard's back stops the
/// workflow with the prerequisite failure.
@Suite("RFC 2136: serve against BIND named on loopback", .serialized)
struct RFC2136Tests {
  static let adminToken = "rfc2136-admin-token"

  struct Setup {
    let named: NamedServer
    let regions: ServeCommandTests.Regions
    let serve: ServeProcess

    init(label: String, secret: String? = nil) async throws {
      named = try await NamedServer()
      regions = try ServeCommandTests.Regions()
      var config = ServeConfig(
        primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
        directory: try ChildProcess.temporaryDirectory(label))
      config.provider = "rfc2136"
      config.extraYAML = """
        dns:
          rfc2136:
            server: 127.0.0.1:\(named.port)
            zone: example.com
            timeout: 1s
            tsig:
              name: sb-key
              secret_env: TEST_TSIG_SECRET

        """
      let environment = try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used",
        "TEST_TSIG_SECRET": secret ?? named.secret, "SWITCHBOARD_ADMIN_TOKEN": RFC2136Tests.adminToken,
      ])
      serve = try await ServeProcess(config: try config.write(), environment: environment)
    }

    func stop() async {
      serve.kill()
      named.stop()
      await regions.stop()
    }

    /// The audit events' text (messages of failed workflows included).
    func events() async throws -> String {
      try await HTTP.get(
        "\(serve.base)/api/v1/events?limit=200",
        headers: ["Authorization": "Bearer \(RFC2136Tests.adminToken)"]
      ).body
    }

    /// Waits (bounded, 30 s) until the events contain `text`.
    func waitForEvent(_ text: String) async throws -> String {
      var body = ""
      for _ in 0..<150 {
        body = (try? await events()) ?? ""
        if body.contains(text) { break }
        try await Task.sleep(nanoseconds: 200_000_000)
      }
      return body
    }
  }

  @Test("Given serve with provider rfc2136, when the primary fails, then dig @named answers the secondary")
  func failoverUpdatesNamed() async throws {
    let setup = try await Setup(label: "rfc2136-failover")
    defer { Task { await setup.stop() } }
    let dig = try Dig()
    let before = try #require(try await dig.serial("example.com", port: setup.named.port))
    setup.regions.primary.setFailing(true)
    var answer: [String] = []
    for _ in 0..<300 {
      answer = (try? await dig.short("api.example.com", "A", port: setup.named.port)) ?? []
      if answer == ["192.0.2.20"] { break }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    #expect(answer == ["192.0.2.20"], "\(setup.serve.output)")
    #expect(try await dig.serial("example.com", port: setup.named.port) ?? 0 > before)
    let events = try await setup.waitForEvent("workflow.succeeded")
    #expect(events.contains("workflow.succeeded"), "\(events)")
  }

  @Test(
    "Given a wrong TSIG secret, when the failover runs, then the workflow stops with NOTAUTH and named is unchanged"
  )
  func wrongKeyIsNotAuth() async throws {
    let wrong = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    let setup = try await Setup(label: "rfc2136-wrong-key", secret: wrong)
    defer { Task { await setup.stop() } }
    setup.regions.primary.setFailing(true)
    let events = try await setup.waitForEvent("NOTAUTH(BADSIG)")
    #expect(events.contains("rejected the update with NOTAUTH(BADSIG)"), "\(events)")
    #expect(events.contains("check the key's name and secret"), "\(events)")
    #expect(!events.contains(wrong) && !setup.serve.output.contains(wrong))
    #expect(try await Dig().short("api.example.com", "A", port: setup.named.port) == ["192.0.2.10"])
  }

  @Test(
    "Given the record changed behind Switchboard's back, when the failover runs, then the workflow stops with the prerequisite failure and does not overwrite"
  )
  func changedBehindOurBack() async throws {
    let setup = try await Setup(label: "rfc2136-cas")
    defer { Task { await setup.stop() } }
    try await setup.named.nsupdate(
      "update delete api.example.com A\nupdate add api.example.com 60 A 192.0.2.99")
    setup.regions.primary.setFailing(true)
    let events = try await setup.waitForEvent("prerequisite failed")
    #expect(events.contains("its prerequisite failed (NXRRSET)"), "\(events)")
    #expect(
      events.contains("A api.example.com holds 192.0.2.99, not 192.0.2.10 as Switchboard last wrote"),
      "\(events)")
    #expect(try await Dig().short("api.example.com", "A", port: setup.named.port) == ["192.0.2.99"])
  }

  @Test(
    "Given the service's record missing on named, when plan then bootstrap run, then plan reports it (exit 2), bootstrap creates it, and plan is clean"
  )
  func planAndBootstrap() async throws {
    let named = try await NamedServer()
    defer { named.stop() }
    try await named.nsupdate("update delete api.example.com A")
    var config = ServeConfig(
      primaryHealthURL: "http://127.0.0.1:9/health", secondaryHealthURL: "http://127.0.0.1:9/health",
      directory: try ChildProcess.temporaryDirectory("rfc2136-plan"))
    config.provider = "rfc2136"
    // No AWS at all: plan and bootstrap read and write named only (with an `aws` section they would also manage
    // the CloudWatch heartbeat alarm).
    config.hasAWSSection = false
    config.extraYAML = """
      dns:
        rfc2136:
          server: 127.0.0.1:\(named.port)
          tsig:
            name: sb-key

      """
    let path = try config.write()
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used",
      "SWITCHBOARD_TSIG_SECRET": named.secret,
    ])
    let drift = try await SwitchboardBinary.run(["plan", "--config", path], environment: environment)
    #expect(drift.status == 2, "\(drift)")
    #expect(drift.stdout.contains("+ create A api.example.com 192.0.2.10"), "\(drift)")
    let bootstrap = try await SwitchboardBinary.run(
      ["bootstrap", "--config", path], environment: environment)
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(try await Dig().short("api.example.com", "A", port: named.port) == ["192.0.2.10"])
    let clean = try await SwitchboardBinary.run(["plan", "--config", path], environment: environment)
    #expect(clean.status == 0, "\(clean)")
    #expect(!clean.stdout.contains(named.secret) && !clean.stderr.contains(named.secret))
  }
}
