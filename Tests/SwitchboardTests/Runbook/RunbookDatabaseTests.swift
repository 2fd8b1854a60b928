import AWS
import FailoverCore
import Foundation
import Switchboard
import TestPeers
import Testing

/// `database_promote` against moto_server's RDS (query protocol, SigV4, the shipped policy's user).
@Suite("Runbook: database promotion (moto)", .serialized)
struct RunbookDatabaseTests {
  static let runbook = Runbook(beforeTraffic: [
    RunbookStep(
      name: "promote-db",
      action: .databasePromote(DatabasePromoteSpec(identifier: "api-west", isCluster: true)),
      timeout: 60)
  ])

  struct Healthy: TargetHealthSource {
    func health(service: ServiceID, region: RegionID) async throws -> Health {
      Health(status: .healthy, reason: "fine")
    }
  }

  static func rds(_ url: URL, _ credentials: AWSCredentials) -> RDSClient {
    RDSClient(
      endpoint: { _ in url }, credentials: StaticCredentialProvider(credentials),
      retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))
  }

  /// A source cluster and its replica cluster `api-west`, in us-west-2.
  static func replica(_ url: URL, tester: AWSCredentials) async throws {
    let query = rds(url, tester).query(region: "us-west-2")
    let login = [
      ("Engine", "aurora-postgresql"), ("MasterUsername", "admin"), ("MasterUserPassword", "password-1234"),
    ]
    let source = try await query.call("CreateDBCluster", [("DBClusterIdentifier", "api-east")] + login)
    let arn = source.first(named: "DBClusterArn")?.text ?? ""
    try await query.call(
      "CreateDBCluster", [("DBClusterIdentifier", "api-west"), ("ReplicationSourceIdentifier", arn)] + login)
  }

  @Test(
    "Given a replica cluster in the target region, when a failover runs, then it is promoted before the DNS change, once"
  )
  func promotesBeforeTraffic() async throws {
    let moto = MotoServer()
    try await moto.start()
    let users = try await moto.fresh()
    let url = await moto.url
    try await Self.replica(url, tester: users.tester)
    let databases = Self.rds(url, users.switchboard)
    #expect(try await databases.state(region: "us-west-2", identifier: "api-west", cluster: true).isReplica)
    let clock = EngineManualClock()
    let api = try APIHarness(
      runbook: Self.runbook, runbookPorts: RunbookPorts(databases: databases),
      sleeper: TickingSleeper(clock: clock), clock: clock)
    try await api.warmUp()
    let id = try await api.failOver()
    await api.settle()

    let state = try await databases.state(region: "us-west-2", identifier: "api-west", cluster: true)
    #expect(!state.isReplica && state.status == "available", "\(state)")
    let journal = try await api.journal(id)
    let order = journal.filter { $0.phase == .finished }.map(\.step.rawValue)
    let promoted = try #require(order.firstIndex(of: "runbook:before_traffic:promote-db"))
    #expect(promoted < (order.firstIndex(of: "changeDNS") ?? -1), "\(order)")
    #expect(journal.filter { $0.phase == .progress }.count == 1, "the promotion is requested once")
    #expect(await api.dns.values(of: "api.example.com") == ["192.0.2.20"])
  }

  @Test(
    "Given a replica cluster, when a live drill and a dry-run drill run, then both skip the promotion and say so"
  )
  func drillsSkip() async throws {
    let moto = MotoServer()
    try await moto.start()
    let users = try await moto.fresh()
    let url = await moto.url
    try await Self.replica(url, tester: users.tester)
    let databases = Self.rds(url, users.switchboard)
    let clock = EngineManualClock()
    var service = EngineFixtures.config(
      primaryURL: EngineTests.primaryURL, secondaryURL: EngineTests.secondaryURL
    )
    .services[0]
    service.runbook = Self.runbook
    let failover = FailoverPlan(
      service: service.id, from: .single(service.id, "us-east-1"), to: .single(service.id, "us-west-2"),
      trigger: .manual, actor: "drill", reason: "quarterly drill")
    let plan = WorkflowPlan(
      id: "drill-1", plan: failover, service: service,
      steps: WorkflowStep.steps(for: failover, service: service),
      decidedAt: clock.now, explanation: "drill", runbookOptions: RunbookRunOptions(drill: true))

    let dryRun = RunbookPrediction.predict(
      failover, service: service, options: RunbookRunOptions(drill: true))
    #expect(
      dryRun.map(\.skipReason) == [
        "Skipped in a drill: promote-db is `in_drills: skip` (it cannot be undone)."
      ])
    #expect(dryRun.first?.predictedSeconds == 0)

    let journal = MemoryStore()
    var ports = WorkflowRunner.Ports(
      dns: EngineFakeDNS(records: [EngineFixtures.record("192.0.2.10")]), metrics: EngineFakeMetrics(),
      notifier: EngineFakeNotifier(), journal: journal, health: Healthy(), clock: clock,
      sleeper: TickingSleeper(clock: clock), jitter: FixedJitterSource())
    ports.databases = databases
    let result = await WorkflowRunner(ports: ports, policy: Policy(syncTimeout: 10, syncPollInterval: 1))
      .start(plan)
    #expect(result.outcome == .succeeded)
    #expect(try await databases.state(region: "us-west-2", identifier: "api-west", cluster: true).isReplica)
    let skipped = try await journal.entries(workflowID: "drill-1").first { $0.step.runbookReference != nil }
    #expect(skipped?.detail.runbook == .skipped(reason: skipped?.message ?? ""))
    #expect(skipped?.message.contains("Skipped in a drill") == true, "\(String(describing: skipped))")
  }
}
