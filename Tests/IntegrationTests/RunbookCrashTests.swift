import AWS
import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Store
import Synchronization
import Testing
import Webhooks

/// SIGKILL a real `switchboard serve` while each kind of runbook step runs (ECS scale-up through a counting
/// proxy in front of moto_server, a signed hook to a slow receiver, a wait), restart it on the same store, and
/// check each effect happened once: one UpdateService on the wire, one idempotency key at the receiver, one
/// DNS change, one `workflow.succeeded`.
@Suite("switchboard serve killed during runbook steps", .serialized)
struct RunbookCrashTests {
  static let hookKey = "crash-hook-key"

  /// A hook receiver that answers 200 after `delay` seconds, so a kill can land while the request is in flight.
  final class SlowReceiver: Sendable {
    final class Inbox: Sendable {
      let requests = Mutex<[(key: String?, signature: String?, body: Data)]>([])
    }
    let server: HTTPServer
    let inbox = Inbox()
    let url: String
    init(delay: Double) throws {
      var router = Router()
      let inbox = self.inbox
      router.post("/hook") { request async throws in
        inbox.requests.withLock {
          $0.append(
            (
              request.headers["Idempotency-Key"], request.headers["X-Switchboard-Signature"],
              Data(request.body)
            ))
        }
        try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        return Response.text("ok")
      }
      server = HTTPServer(
        configuration: ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
        router: router)
      try server.start()
      url = "http://127.0.0.1:\(server.boundAddresses[0].port)/hook"
    }
    var requests: [(key: String?, signature: String?, body: Data)] { inbox.requests.withLock { $0 } }
    func reset() { inbox.requests.withLock { $0 = [] } }
  }

  static func runbookYAML(hook: String) -> String {
    """

        runbook:
          before_traffic:
            - {name: scale, kind: ecs_scale, cluster: api, service: api-web, timeout: 1m}
            - {name: hook, kind: http_hook, url: "\(hook)", secret_env: RUNBOOK_HOOK_KEY, timeout: 10s}
            - {name: settle, kind: wait, duration: 2s}
            - {name: promote, kind: database_promote, db_cluster: api-west, timeout: 1m}
            - {name: ok, kind: approval, message: "Go?", timeout: 5m}
    """
  }

  @Test(
    "Given a runbook with ECS, a hook and a wait, when serve is SIGKILLed during each step and restarted, then each effect happens once"
  )
  func killedDuringEachStepKind() async throws {
    let moto = MotoServer()
    try await moto.start()
    let proxy = try await CountingProxy(upstreamPort: await moto.port, delayMilliseconds: 150...300)
    let primary = try await SampleRegionProcess(region: "us-east-1")
    let secondary = try await SampleRegionProcess(region: "us-west-2")
    let receiver = try SlowReceiver(delay: 0.4)
    defer {
      proxy.stop()
      primary.stop()
      secondary.stop()
      Task { await receiver.server.shutdown() }
    }
    var report: [String] = []
    for (step, extra) in [
      ("runbook:before_traffic:scale", 0.0), ("runbook:before_traffic:scale", 0.25),
      ("runbook:before_traffic:hook", 0.0), ("runbook:before_traffic:hook", 0.2),
      ("runbook:before_traffic:settle", 0.5), ("runbook:before_traffic:promote", 0.0),
      ("runbook:before_traffic:promote", 0.2), ("runbook:before_traffic:ok", 0.3),
    ] {
      receiver.reset()
      let users = try await moto.fresh()
      let motoURL = await moto.url
      let example = try await ExampleZone.create(motoURL: motoURL, tester: users.tester)
      let ecs = ECSClient(endpoint: { _ in motoURL }, credentials: StaticCredentialProvider(users.tester))
      for (region, count) in [("us-east-1", 6), ("us-west-2", 2)] {
        try await Self.createECSService(ecs, region: region, desired: count)
      }
      try await Self.createReplicaCluster(motoURL, tester: users.tester)
      try await primary.recover()
      try await secondary.recover()
      var config = ServeConfig(
        primaryHealthURL: primary.healthURL, secondaryHealthURL: secondary.healthURL,
        directory: try ChildProcess.temporaryDirectory("runbook-crash"))
      config.awsEndpoint = proxy.url.absoluteString
      config.serviceRunbookYAML = Self.runbookYAML(hook: receiver.url)
      let operatorToken = TokenFactory.make(name: "crash-operator", role: .operator)
      config.extraYAML = "auth:\n  tokens:\n    \(operatorToken.yamlLine)\n"
      let path = try config.write()
      let environment = try SwitchboardBinary.isolatedEnvironment([
        "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
        "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey, "RUNBOOK_HOOK_KEY": Self.hookKey,
      ])
      let wireBefore = proxy.forwarded.count

      var serve = try await ServeProcess(config: path, environment: environment)
      try await Task.sleep(nanoseconds: 1_300_000_000)
      try await primary.fail()
      let killedAt = try await Self.waitForStep(step, store: config.storagePath, seconds: 60)
      try await Task.sleep(nanoseconds: UInt64(extra * 1e9))
      serve.kill()
      try await proxy.drain()
      serve = try await ServeProcess(config: path, environment: environment)
      let approval = try await Self.approve(
        store: config.storagePath, port: serve.port, token: operatorToken.token, seconds: 60)
      let finished = try await Self.waitForSuccess(store: config.storagePath, seconds: 90)
      serve.kill()
      try await proxy.drain()

      let context = "killed at \(step) + \(extra) s (journal: \(killedAt))\n--- serve log\n\(serve.output)"
      #expect(finished, "the workflow did not succeed; \(context)")
      let wire = Array(proxy.forwarded.dropFirst(wireBefore))
      let updates = wire.filter { $0.contains("Target=AmazonEC2ContainerServiceV20141113.UpdateService") }
      #expect(updates.count == 1, "UpdateService on the wire: \(updates); \(context)")
      let west = try await ecs.counts(region: "us-west-2", cluster: "api", service: "api-web")
      #expect(west.desired == 6, "\(west); \(context)")
      let requests = receiver.requests
      #expect(Set(requests.map(\.key)).count == 1, "idempotency keys \(requests.map(\.key)); \(context)")
      #expect(
        requests.allSatisfy { $0.signature == HTTPHookCaller.signature(of: $0.body, key: Self.hookKey) })
      let promotions = wire.filter { $0.contains("Action=PromoteReadReplicaDBCluster") }
      #expect(promotions.count == 1, "PromoteReadReplicaDBCluster on the wire: \(promotions); \(context)")
      #expect(approval == 200, "the approval after the restart answered \(approval); \(context)")
      let changes = wire.filter {
        $0.hasPrefix("POST ") && $0.contains("/hostedzone/\(example.zoneID)/rrset")
      }
      #expect(changes.count == 1, "ChangeResourceRecordSets on the wire: \(changes); \(context)")
      let store = try SQLiteStore(path: config.storagePath)
      let events = try await store.events(after: 0, limit: 100_000).map(\.event)
      #expect(events.filter { $0.kind == .workflowSucceeded }.count == 1, "\(events.map(\.kind)); \(context)")
      report.append(
        "\(step) +\(extra)s [\(killedAt)]: UpdateService \(updates.count), hook requests \(requests.count) "
          + "(keys \(Set(requests.map(\.key)).count)), promotions \(promotions.count), approval \(approval), "
          + "DNS changes \(changes.count)")
    }
    print("RunbookCrashTests:\n  " + report.joined(separator: "\n  "))
  }

  static func createECSService(_ ecs: ECSClient, region: String, desired: Int) async throws {
    struct Cluster: Encodable { var clusterName = "api" }
    struct Container: Encodable {
      var name = "web"
      var image = "nginx"
      var memory = 128
    }
    struct TaskDefinition: Encodable {
      var family = "api-web"
      var containerDefinitions = [Container()]
    }
    struct CreateService: Encodable {
      var cluster = "api"
      var serviceName = "api-web"
      var taskDefinition = "api-web"
      var desiredCount: Int
    }
    struct Anything: Decodable {}
    let json = ecs.json(region: region)
    _ = try await json.call("CreateCluster", Cluster(), as: Anything.self)
    _ = try await json.call("RegisterTaskDefinition", TaskDefinition(), as: Anything.self)
    _ = try await json.call("CreateService", CreateService(desiredCount: desired), as: Anything.self)
    // moto starts a service with no task running; an update brings runningCount to the desired count.
    try await ecs.setDesiredCount(desired, region: RegionID(region), cluster: "api", service: "api-web")
  }

  /// A source cluster and its replica cluster `api-west` in us-west-2 (moto clears a promoted cluster's source).
  static func createReplicaCluster(_ url: URL, tester: AWSCredentials) async throws {
    let query = RDSClient(endpoint: { _ in url }, credentials: StaticCredentialProvider(tester)).query(
      region: "us-west-2")
    let login = [
      ("Engine", "aurora-postgresql"), ("MasterUsername", "admin"), ("MasterUserPassword", "password-1234"),
    ]
    let source = try await query.call("CreateDBCluster", [("DBClusterIdentifier", "api-east")] + login)
    let arn = source.first(named: "DBClusterArn")?.text ?? ""
    try await query.call(
      "CreateDBCluster", [("DBClusterIdentifier", "api-west"), ("ReplicationSourceIdentifier", arn)] + login)
  }

  /// Waits (bounded) until the latest workflow waits on an approval, then approves it over the API; returns the
  /// answer's status.
  static func approve(store path: String, port: Int, token: String, seconds: Double) async throws -> Int {
    let store = try SQLiteStore(path: path)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let latest = try? await store.workflows(service: "api.example.com", limit: 1).workflows.first,
        let detail = try? await store.workflow(id: latest.id), PendingApproval(detail) != nil
      {
        let answer = try await RawHTTP.send(
          port: port, "POST", "/api/v1/workflows/\(latest.id)/approval",
          headers: [
            ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
            ("Idempotency-Key", UUID().uuidString),
          ],
          body: Array(#"{"decision":"approve","reason":"crash test"}"#.utf8))
        return answer.status
      }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    throw HarnessError("no workflow waited for an approval within \(seconds) s")
  }

  /// Waits (bounded, polling every 10 ms) until the latest workflow's last journal entry is `step` started (or a
  /// checkpoint of it); returns that entry in words.
  static func waitForStep(_ step: String, store path: String, seconds: Double) async throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    while !FileManager.default.fileExists(atPath: path) && Date() < deadline {
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    let store = try SQLiteStore(path: path)
    while Date() < deadline {
      if let latest = try? await store.workflows(service: "api.example.com", limit: 1).workflows.first,
        let last = try? await store.workflow(id: latest.id)?.entries.last,
        last.step.rawValue == step, last.phase == .started || last.phase == .progress
      {
        return "\(last.step.rawValue) \(last.phase.rawValue)"
      }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    throw HarnessError("the workflow never reached \(step) within \(seconds) s")
  }

  /// Waits (bounded) until the store holds a succeeded workflow and none running.
  static func waitForSuccess(store path: String, seconds: Double) async throws -> Bool {
    let store = try SQLiteStore(path: path)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let page = try? await store.workflows(service: "api.example.com", limit: 10),
        page.workflows.contains(where: { $0.state == .succeeded }),
        !page.workflows.contains(where: { $0.state == .running })
      {
        return true
      }
      try await Task.sleep(nanoseconds: 200_000_000)
    }
    return false
  }
}
