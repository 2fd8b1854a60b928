import AWS
import Configuration
import FailoverCore
import Foundation
import Provisioning
import Store
import Switchboard
import Testing

/// What Route53 holds after a failover, whole: bootstrap runs as the built binary, the failover runs through the
/// real `WorkflowRunner` (Route53 client, SQLite store as journal) against moto_server, and every record set of
/// the name is listed, not only the ones the workflow wrote. Then `plan` and `bootstrap` must leave the failover
/// alone.
@Suite("Record sets after a failover, per routing mode, against moto", .serialized)
struct FailoverRecordSetsTests {
  static let moto = MotoServer()

  // MARK: The workflow, for real

  struct SilentNotifier: Notifier { func notify(_ notification: FailoverNotification) async throws {} }
  struct NoMetrics: MetricsProvider { func publish(namespace: String, _ data: [MetricDatum]) async throws {} }
  struct HealthyTargets: TargetHealthSource {
    func health(service: ServiceID, region: RegionID) async throws -> Health {
      Health(status: .healthy, reason: "test: the target answers")
    }
  }
  actor RoutingEndpointStub: RoutingEndpointPublisher {
    var states: [ServiceID: RoutingState] = [:]
    func publish(_ state: RoutingState) async throws { states[state.service] = state }
    func published(service: ServiceID) async throws -> RoutingState? { states[service] }
  }

  static let reason = "us-east-1 is unhealthy: 3 probes failed in a row"

  /// Moves a service's traffic as the engine does: a workflow journaled in the store at the config's
  /// storage.path, changing Route53 through the Route53 client signed as Switchboard's IAM user.
  @discardableResult
  static func failOver(
    _ setup: ExampleSetup, service id: ServiceID, to target: (RoutingState) -> RoutingState,
    endpoint: RoutingEndpointStub = RoutingEndpointStub()
  ) async throws -> RoutingState {
    let config = try SwitchboardConfig.load(path: setup.configPath, environment: [:])
    let service = try #require(config.service(id))
    let store = try SQLiteStore(path: setup.storePath)
    let from = try await store.routingState(service: id) ?? DesiredStateBuilder.configuredRouting(service)
    let to = target(from)
    let runner = WorkflowRunner(
      ports: .init(
        dns: Route53Client(
          endpoint: setup.url, credentials: StaticCredentialProvider(setup.switchboard),
          retry: AWS.RetryPolicy(maxAttempts: 2)),
        metrics: NoMetrics(), notifier: SilentNotifier(), journal: store, health: HealthyTargets(),
        routingEndpoint: endpoint, clock: SystemClock()),
      policy: Policy(syncTimeout: 10, syncPollInterval: 0.1))
    let plan = FailoverPlan(service: id, from: from, to: to, trigger: .automatic, reason: reason)
    let workflow = WorkflowPlan(
      id: UUID().uuidString, plan: plan, service: service,
      steps: WorkflowStep.steps(for: service.routingMode),
      decidedAt: Date(), explanation: reason)
    let result = await runner.start(workflow)
    #expect(result.outcome == .succeeded, "\(result)")
    return to
  }

  /// The first region loses its weight, the others keep theirs (what the decider plans in weighted mode).
  static func drainEast(_ state: RoutingState) -> RoutingState {
    var next = state
    next.weights[RegionID("us-east-1")] = 0
    return next
  }

  /// After a failover, plan reports no drift and says where traffic is; bootstrap changes nothing.
  static func expectFailoverKept(_ setup: ExampleSetup, _ name: String, region: String) async throws {
    let plan = try await setup.run(["plan", "--config", setup.configPath])
    #expect(plan.status == 0, "\(plan)")
    #expect(
      plan.lines.contains {
        $0.hasPrefix("\(name): traffic in \(region)") && $0.contains(" since ")
          && $0.contains("(failover: \(reason))")
      }, "\(plan)")
    #expect(plan.stdout.contains("No drift"), "\(plan)")
    let bootstrap = try await setup.run(["bootstrap", "--config", setup.configPath])
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(bootstrap.stdout.contains("Nothing to do"), "\(bootstrap)")
  }

  /// An example configuration bootstrapped into moto (zone created).
  static func bootstrapped(_ example: String) async throws -> ExampleSetup {
    let setup = try await ExampleSetup.make(moto, example: example)
    let bootstrap = try await setup.run(["bootstrap", "--config", setup.configPath, "--create-zone"])
    #expect(bootstrap.status == 0, "\(bootstrap)")
    return setup
  }

  /// examples/weighted.yaml's two records under the canonical set identifiers, us-west-2 at 40.
  static func canonicalWeighted(eastWeight: Int) -> Set<ListedRecordSet> {
    [
      ListedRecordSet(
        "www.example.com", "web/us-east-1", "weight \(eastWeight)", ["web-east.example.net"], check: true),
      ListedRecordSet("www.example.com", "web/us-west-2", "weight 40", ["web-west.example.net"], check: true),
    ]
  }

  // MARK: Weighted

  @Test(
    "Given examples/weighted.yaml bootstrapped, when us-east-1 fails over, then the name holds exactly the two canonical weighted records, east at 0"
  )
  func weightedFailover() async throws {
    let setup = try await Self.bootstrapped("weighted.yaml")

    try await Self.failOver(setup, service: "web", to: Self.drainEast)

    let listed = try await setup.listAll("www.example.com")
    print("weighted, all record sets after failover: \(listed.map(\.description).sorted())")
    #expect(
      listed == Self.canonicalWeighted(eastWeight: 0), "\(listed)")
    try await Self.expectFailoverKept(setup, "www.example.com", region: "us-west-2")
  }

  @Test(
    "Given weighted records left under the legacy set identifiers, when the workflow fails over, then it deletes them in the same batch"
  )
  func workflowMigratesLegacyRecords() async throws {
    let setup = try await Self.bootstrapped("weighted.yaml")
    try await writeLegacyRecords(setup)
    #expect(try await setup.listAll("www.example.com").count == 4)

    try await Self.failOver(setup, service: "web", to: Self.drainEast)

    let listed = try await setup.listAll("www.example.com")
    print(
      "weighted with legacy records, all record sets after failover: \(listed.map(\.description).sorted())")
    #expect(
      listed == Self.canonicalWeighted(eastWeight: 0), "\(listed)")
  }

  @Test(
    "Given weighted records left under the legacy set identifiers, when planned and bootstrapped, then plan names them and bootstrap deletes them"
  )
  func bootstrapMigratesLegacyRecords() async throws {
    let setup = try await Self.bootstrapped("weighted.yaml")
    try await writeLegacyRecords(setup)

    let plan = try await setup.run(["plan", "--config", setup.configPath])
    #expect(plan.status == 2, "\(plan)")
    #expect(
      plan.lines.contains {
        $0.hasPrefix("legacy record www.example.com CNAME (set us-east-1)")
          && $0.contains("set web/us-east-1")
      }, "\(plan)")
    let bootstrap = try await setup.run(["bootstrap", "--config", setup.configPath])
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(bootstrap.stdout.contains("DELETE www.example.com CNAME"), "\(bootstrap)")

    let listed = try await setup.listAll("www.example.com")
    #expect(
      listed == Self.canonicalWeighted(eastWeight: 60), "\(listed)")
    let clean = try await setup.run(["plan", "--config", setup.configPath])
    #expect(clean.status == 0, "\(clean)")
  }

  /// What earlier workflows wrote: weighted records named by the bare region id.
  func writeLegacyRecords(_ setup: ExampleSetup) async throws {
    let zone = try #require(try await setup.tester.hostedZone(forDomain: "example.com"))
    _ = try await setup.tester.submit(
      DNSChangeBatch(
        zoneID: zone.id,
        changes: [("us-east-1", "web-east.example.net", 60), ("us-west-2", "web-west.example.net", 40)].map {
          DNSChange(
            .upsert,
            DNSRecord(
              name: "www.example.com", type: "CNAME", ttl: 30, values: [$0.1],
              routing: .weighted(weight: $0.2, setIdentifier: $0.0)))
        }))
  }

  // MARK: Record

  @Test(
    "Given examples/two-region.yaml bootstrapped, when us-east-1 fails over, then the name holds one A record at us-west-2's target, and plan and bootstrap keep it"
  )
  func recordFailover() async throws {
    let setup = try await Self.bootstrapped("two-region.yaml")

    try await Self.failOver(setup, service: "api.example.com") { .single($0.service, "us-west-2") }

    let listed = try await setup.listAll("api.example.com")
    print("record, all record sets after failover: \(listed.map(\.description).sorted())")
    #expect(
      listed == [ListedRecordSet("api.example.com", nil, "simple", ["192.0.2.20"], check: false)], "\(listed)"
    )
    try await Self.expectFailoverKept(setup, "api.example.com", region: "us-west-2")
    #expect(try await setup.listAll("api.example.com") == listed, "bootstrap must not move traffic back")
  }

  // MARK: Failover health check

  @Test(
    "Given examples/failover-health-check.yaml bootstrapped, when us-east-1 fails over, then the PRIMARY/SECONDARY pair is unchanged and the routing endpoint moved"
  )
  func failoverHealthCheckFailover() async throws {
    let setup = try await Self.bootstrapped("failover-health-check.yaml")
    let endpoint = RoutingEndpointStub()

    try await Self.failOver(
      setup, service: "checkout", to: { .single($0.service, "eu-west-1") }, endpoint: endpoint)

    let listed = try await setup.listAll("checkout.example.com")
    print("failover-health-check, all record sets after failover: \(listed.map(\.description).sorted())")
    #expect(
      listed == [
        ListedRecordSet(
          "checkout.example.com", "checkout/us-east-1", "PRIMARY", ["198.51.100.10"], check: true),
        ListedRecordSet(
          "checkout.example.com", "checkout/eu-west-1", "SECONDARY", ["198.51.100.20"], check: true),
      ], "\(listed)")
    let published = try #require(try await endpoint.published(service: "checkout"))
    #expect(published.routingEndpointStatus(for: "us-east-1") == 503)
    #expect(published.routingEndpointStatus(for: "eu-west-1") == 200)
    try await Self.expectFailoverKept(setup, "checkout.example.com", region: "eu-west-1")
  }
}
