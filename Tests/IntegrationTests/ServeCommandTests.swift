import AWS
import FailoverCore
import Foundation
import HTTPServer
import SampleRegion
import Store
import Switchboard
import Synchronization
import Testing
import Webhooks

#if canImport(Glibc)
  import Glibc
#endif

/// `switchboard serve` as the built binary: configuration errors, the routing endpoint, SIGHUP reloads,
/// graceful stops, and a failover-health-check failover that notifies a webhook. Sample regions and the
/// webhook receiver run in the test process on loopback; AWS is moto_server with signature checking on.
@Suite("switchboard serve", .serialized)
struct ServeCommandTests {
  static let moto = MotoServer()

  /// Two sample regions on free loopback ports.
  struct Regions {
    let primary = SampleRegion(SampleRegionState(region: "us-east-1"))
    let secondary = SampleRegion(SampleRegionState(region: "us-west-2"))
    let servers: [HTTPServer]

    init() throws {
      servers = [
        try primary.start(host: "127.0.0.1", port: 0), try secondary.start(host: "127.0.0.1", port: 0),
      ]
    }

    func healthURL(_ index: Int) -> String {
      "http://127.0.0.1:\(servers[index].boundAddresses[0].port)/health"
    }

    func stop() async { for server in servers { await server.shutdown() } }
  }

  /// What the test webhook received.
  final class Received: Sendable {
    let payloads = Mutex<[WebhookPayload]>([])
  }

  func environment(_ extra: [String: String] = [:]) throws -> [String: String] {
    try SwitchboardBinary.isolatedEnvironment(
      ["AWS_ACCESS_KEY_ID": "AKIDNOTUSED", "AWS_SECRET_ACCESS_KEY": "not-used"].merging(extra) { _, new in new
      })
  }

  /// Polls `condition` every 100 ms until it holds or `seconds` pass.
  func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if (try? await condition()) == true { return true }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    return try await condition()
  }

  @Test("Given an invalid file, when serve starts, then it prints every problem with line:column and exits 1")
  func invalidConfiguration() async throws {
    let directory = try ChildProcess.temporaryDirectory("serve-invalid")
    let path = directory + "/bad.yaml"
    try "listen: nowhere\npolicy:\n  minimum_dwell: forever\nregions: []\nservices: 3\n"
      .write(toFile: path, atomically: true, encoding: .utf8)

    let result = try await SwitchboardBinary.run(["serve", "--config", path], environment: try environment())

    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("\(path):1:"), "\(result)")
    #expect(result.stderr.contains("\(path):3:"), "\(result)")
    #expect(result.stderr.contains("is not a valid configuration"), "\(result)")
  }

  @Test(
    "Given a running serve, when the routing endpoint is asked, then the primary answers 200, the secondary 503, unknown names 404"
  )
  func routingEndpoint() async throws {
    let regions = try Regions()
    defer { Task { await regions.stop() } }
    let config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("serve-routing"))
    let serve = try await ServeProcess(config: try config.write(), environment: try environment())
    defer { serve.kill() }

    let primary = try await HTTP.get("\(serve.base)/routing/api.example.com/us-east-1")
    let secondary = try await HTTP.get("\(serve.base)/routing/api.example.com/us-west-2")
    let unknownService = try await HTTP.get("\(serve.base)/routing/nope.example.com/us-east-1")
    let unknownRegion = try await HTTP.get("\(serve.base)/routing/api.example.com/eu-west-1")
    let health = try await HTTP.get("\(serve.base)/healthz")
    let dashboard = try await HTTP.get("\(serve.base)/index.html")

    #expect(primary.status == 200)
    #expect(primary.body == #"{"service":"api.example.com","region":"us-east-1","receives_traffic":true}"#)
    #expect(primary.header("Cache-Control") == "no-store")
    #expect(primary.header("Content-Type") == "application/json")
    #expect(secondary.status == 503)
    #expect(secondary.body == #"{"service":"api.example.com","region":"us-west-2","receives_traffic":false}"#)
    #expect(secondary.header("Cache-Control") == "no-store")
    #expect(unknownService.status == 404)
    #expect(unknownService.header("Content-Type") == "application/problem+json")
    #expect(unknownService.body.contains("nope.example.com is not configured"))
    #expect(unknownRegion.status == 404)
    #expect(unknownRegion.body.contains("eu-west-1 is not one of api.example.com's regions"))
    #expect(health.status == 200)
    #expect(dashboard.status == 200)
  }

  @Test(
    "Given a running serve, when SIGHUP brings a bad file, then it logs the problems and keeps the old one; a good file is applied"
  )
  func reloadOnSIGHUP() async throws {
    let regions = try Regions()
    defer { Task { await regions.stop() } }
    var config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("serve-reload"))
    let path = try config.write()
    let serve = try await ServeProcess(config: path, environment: try environment())
    defer { serve.kill() }
    #expect(try await HTTP.get("\(serve.base)/routing/web.example.com/us-east-1").status == 404)

    try "services: [\n".write(toFile: path, atomically: true, encoding: .utf8)
    serve.signal(SIGHUP)
    let logged = try await eventually(20) {
      serve.output.contains("is not valid; the running configuration stays")
    }

    #expect(logged, "\(serve.output)")
    #expect(serve.output.contains("\(path):"), "\(serve.output)")
    #expect(try await HTTP.get("\(serve.base)/routing/api.example.com/us-east-1").status == 200)

    config.extraYAML = """
        - id: web.example.com
          dns_name: web.example.com
          hosted_zone: example.com
          record_type: A
          ttl: 60
          routing: record
          regions:
            - region: us-east-1
              target: 192.0.2.30
              signals:
                - type: http
                  url: \(regions.healthURL(0))
                  interval: 1
            - region: us-west-2
              target: 192.0.2.40
              signals:
                - type: http
                  url: \(regions.healthURL(1))
                  interval: 1
      """
    try config.write()
    serve.signal(SIGHUP)
    let reloaded = try await eventually(20) {
      try await HTTP.get("\(serve.base)/routing/web.example.com/us-east-1").status == 200
    }

    #expect(reloaded, "\(serve.output)")
    #expect(try await HTTP.get("\(serve.base)/routing/web.example.com/us-west-2").status == 503)
  }

  @Test(
    "Given a running serve, when SIGHUP brings a malformed webhook URL carrying a secret, then the rejection names the key and line, and neither the store nor the log holds the secret"
  )
  func rejectedReloadKeepsSecretsOut() async throws {
    let regions = try Regions()
    defer { Task { await regions.stop() } }
    var config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("serve-reload-secret"))
    let path = try config.write()
    let serve = try await ServeProcess(config: path, environment: try environment())
    defer { serve.kill() }
    let secret = "s3cr3t-TOKEN"

    config.webhookURL = "https://hooks.example.com/T0/\(secret) value with space"
    try config.write()
    let line =
      try #require(
        config.yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
          $0.contains(secret)
        }) + 1
    serve.signal(SIGHUP)
    let store = try SQLiteStore(path: config.storagePath)
    let rejected = try await eventually(20) {
      try await !store.events(EventQuery(kinds: [.configurationRejected], limit: 10)).events.isEmpty
    }

    #expect(rejected, "\(serve.output)")
    let event = try #require(
      try await store.events(EventQuery(kinds: [.configurationRejected], limit: 10)).events.first)
    let problems = "\(event.event.details["problems"] ?? .null)"
    #expect(problems.contains("\(line):"), "\(problems)")
    #expect(problems.contains("notifications.webhook.url"), "\(problems)")
    #expect(serve.output.contains("\(path):\(line):"), "\(serve.output)")
    #expect(serve.output.contains("notifications.webhook.url"), "\(serve.output)")
    #expect(!serve.output.contains(secret), "\(serve.output)")
    for file in [config.storagePath, config.storagePath + "-wal", config.storagePath + "-shm"] {
      let bytes = FileManager.default.contents(atPath: file) ?? Data()
      #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")
    }
    #expect(try await HTTP.get("\(serve.base)/routing/api.example.com/us-east-1").status == 200)
  }

  @Test("Given a running serve, when SIGTERM arrives, then it stops the engine and the server and exits 0")
  func gracefulStop() async throws {
    let regions = try Regions()
    defer { Task { await regions.stop() } }
    let config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("serve-stop"))
    let serve = try await ServeProcess(config: try config.write(), environment: try environment())
    defer { serve.kill() }

    serve.signal(SIGTERM)
    let status = try await serve.waitForExit(seconds: 30)

    #expect(status == 0, "\(serve.output)")
    #expect(serve.output.contains("Stopped."), "\(serve.output)")
  }

  @Test(
    "Given a failover-health-check service, when its primary fails, then the routing endpoint flips and the webhook hears initiated and succeeded"
  )
  func failoverHealthCheckFlipsEndpointAndNotifies() async throws {
    let users = try await Self.moto.fresh()
    let motoURL = await Self.moto.url
    let regions = try Regions()
    let received = Received()
    var router = Router()
    router.post("/hooks/{secret}") { request in
      if let payload = try? WebhookPayload.decode(Data(request.body)) {
        received.payloads.withLock { $0.append(payload) }
      }
      return Response(status: .ok)
    }
    let hook = HTTPServer(
      configuration: ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]), router: router)
    try hook.start()
    defer {
      Task {
        await regions.stop()
        await hook.shutdown()
      }
    }
    var config = ServeConfig(
      primaryHealthURL: regions.healthURL(0), secondaryHealthURL: regions.healthURL(1),
      directory: try ChildProcess.temporaryDirectory("serve-fhc"))
    config.routing = "failover-health-check"
    config.awsEndpoint = motoURL.absoluteString
    config.webhookURL = "http://127.0.0.1:\(hook.boundAddresses[0].port)/hooks/t0ps3cret"
    let serve = try await ServeProcess(
      config: try config.write(),
      environment: try environment([
        "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
      ]))
    defer { serve.kill() }
    let base = "\(serve.base)/routing/api.example.com"
    let secondaryHealthy = try await eventually(30) {
      // Both regions probed healthy at least once: the engine's snapshot is what the endpoint reads.
      try await HTTP.get("\(base)/us-east-1").status == 200 && regions.secondary.current.healthy
    }
    #expect(secondaryHealthy)

    regions.primary.setFailing(true)
    let flipped = try await eventually(60) {
      let east = try await HTTP.get("\(base)/us-east-1")
      let west = try await HTTP.get("\(base)/us-west-2")
      return east.status == 503 && west.status == 200
    }
    let notified = try await eventually(30) {
      received.payloads.withLock { $0.map(\.kind) }.contains("succeeded")
    }

    #expect(flipped, "\(serve.output)")
    #expect(notified, "\(serve.output)")
    let kinds = received.payloads.withLock { $0.map(\.kind) }
    #expect(kinds == ["initiated", "succeeded"], "\(kinds)")
    let succeeded = received.payloads.withLock { $0.last }
    #expect(succeeded?.service == "api.example.com")
    #expect(succeeded?.fromRegion == "us-east-1" && succeeded?.toRegion == "us-west-2")
    #expect(!serve.output.contains("t0ps3cret"))
  }
}
