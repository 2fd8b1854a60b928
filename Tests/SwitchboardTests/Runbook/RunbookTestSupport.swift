import AWS
import FailoverCore
import Foundation
import HTTPServer
import Synchronization
import TestPeers

/// A hook receiver on loopback (our HTTP server): answers the scripted statuses in turn (the last one repeats) and
/// keeps every request.
final class HookReceiver: Sendable {
  struct Received: Sendable {
    var idempotencyKey: String?
    var signature: String?
    var body: Data
  }
  final class Inbox: Sendable {
    let received = Mutex<[Received]>([])
  }
  let server: HTTPServer
  let url: String
  private let inbox = Inbox()

  init(statuses: [Int]) throws {
    var router = Router()
    let inbox = self.inbox
    router.post("/hook") { request in
      let count = inbox.received.withLock {
        $0.append(
          Received(
            idempotencyKey: request.headers["Idempotency-Key"],
            signature: request.headers["X-Switchboard-Signature"], body: Data(request.body)))
        return $0.count
      }
      let status = statuses[min(count, statuses.count) - 1]
      return Response.text("answer \(count)", status: Status(code: status))
    }
    server = HTTPServer(
      configuration: ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]), router: router)
    try server.start()
    url = "http://127.0.0.1:\(server.boundAddresses[0].port)/hook"
  }

  var requests: [Received] { inbox.received.withLock { $0 } }
}

/// Waits on the manual clock: each wait moves it forward, then yields a millisecond of real time so the test can
/// act (approve over the API) while a workflow waits.
struct TickingSleeper: Sleeper {
  let clock: EngineManualClock
  func sleep(seconds: Double) async throws {
    clock.advance(seconds)
    try await Task.sleep(nanoseconds: 1_000_000)
  }
}

/// Counts the desired-count updates that reach the real capacity provider underneath.
final class CountingCapacity: CapacityProvider {
  let base: any CapacityProvider
  private let updates = Mutex<[Int]>([])  // a stored Mutex in a final class: borrowed in place
  init(_ base: any CapacityProvider) { self.base = base }
  var updateCount: Int { updates.withLock { $0.count } }
  func counts(region: RegionID, cluster: String, service: String) async throws -> ServiceCapacity {
    try await base.counts(region: region, cluster: cluster, service: service)
  }
  func setDesiredCount(_ count: Int, region: RegionID, cluster: String, service: String) async throws {
    updates.withLock { $0.append(count) }
    try await base.setDesiredCount(count, region: region, cluster: cluster, service: service)
  }
}

/// ECS in moto: a cluster and a service per region, created as the tester.
enum MotoECS {
  static func client(_ url: URL, _ credentials: AWSCredentials) -> ECSClient {
    ECSClient(
      endpoint: { _ in url }, credentials: StaticCredentialProvider(credentials),
      retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))
  }

  static func createService(
    _ url: URL, tester: AWSCredentials, region: String, cluster: String, service: String, desired: Int
  ) async throws {
    let json = client(url, tester).json(region: region)
    struct Cluster: Encodable { var clusterName: String }
    struct Container: Encodable {
      var name = "web"
      var image = "nginx"
      var memory = 128
    }
    struct TaskDefinition: Encodable {
      var family: String
      var containerDefinitions = [Container()]
    }
    struct CreateService: Encodable {
      var cluster: String
      var serviceName: String
      var taskDefinition: String
      var desiredCount: Int
    }
    struct Anything: Decodable {}
    _ = try await json.call("CreateCluster", Cluster(clusterName: cluster), as: Anything.self)
    _ = try await json.call("RegisterTaskDefinition", TaskDefinition(family: service), as: Anything.self)
    _ = try await json.call(
      "CreateService",
      CreateService(cluster: cluster, serviceName: service, taskDefinition: service, desiredCount: desired),
      as: Anything.self)
    // moto starts a service with no task running; an update brings runningCount to the desired count.
    try await client(url, tester).setDesiredCount(
      desired, region: RegionID(region), cluster: cluster, service: service)
  }
}

extension APIHarness {
  /// The service's latest workflow as the API shows it.
  func latestWorkflow() async throws -> [String: Any] {
    let page = try await send(
      .GET, "/api/v1/services/api.example.com/workflows?limit=1", token: APIHarness.viewer)
    return ((page.json["workflows"] as? [[String: Any]]) ?? []).first ?? [:]
  }

  /// Asks for a manual failover to us-west-2 and returns the workflow id.
  func failOver() async throws -> String {
    let accepted = try await send(
      .POST, "/api/v1/services/api.example.com/failover", token: APIHarness.operatorToken,
      json: #"{"target_region":"us-west-2","reason":"region us-east-1 is failing"}"#)
    guard let id = accepted.json["workflow_id"] as? String else {
      throw EngineFakeError(description: "no workflow: \(accepted.text)")
    }
    return id
  }

  /// The journal of one workflow, in order.
  func journal(_ id: String) async throws -> [StepJournalEntry] {
    try await store.entries(workflowID: id)
  }

  /// Polls (bounded, 10 s) until the workflow waits on an approval.
  func waitForPendingApproval(_ id: String) async throws {
    for _ in 0..<2000 {
      if let detail = try await store.workflow(id: id), PendingApproval(detail) != nil { return }
      try await Task.sleep(nanoseconds: 5_000_000)
    }
    throw EngineFakeError(description: "workflow \(id) never waited for an approval")
  }
}
