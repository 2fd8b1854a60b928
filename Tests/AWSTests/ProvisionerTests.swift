import AWS
import FailoverCore
import Foundation
import Testing

@Suite("Provisioner: plan, bootstrap and teardown against moto_server", .serialized)
struct ProvisionerTests {
  static let moto = MotoServer()

  /// The seed recipe's steps 6-8: two HTTPS health checks, a PRIMARY/SECONDARY CNAME pair, two alarms.
  static func seedState(prefix: String = "switchboard-") -> DesiredState {
    func check(_ host: String) -> HealthCheckConfig {
      HealthCheckConfig(
        type: "HTTPS", fullyQualifiedDomainName: host, port: 443, resourcePath: "/", requestInterval: 30,
        failureThreshold: 3, enableSNI: true)
    }
    return DesiredState(
      zoneDomain: "example.com", ownerPrefix: prefix,
      healthChecks: [
        DesiredHealthCheck(key: "api-us-east-1", config: check("primary.lattice.example.net")),
        DesiredHealthCheck(key: "api-us-west-2", config: check("secondary.lattice.example.net")),
      ],
      records: [
        DesiredRecord(
          record: DNSRecord(
            name: "api.example.com", type: "CNAME", ttl: 60, values: ["primary.lattice.example.net"],
            routing: .failover(role: .primary, setIdentifier: "api-primary")),
          healthCheckKey: "api-us-east-1"),
        DesiredRecord(
          record: DNSRecord(
            name: "api.example.com", type: "CNAME", ttl: 60, values: ["secondary.lattice.example.net"],
            routing: .failover(role: .secondary, setIdentifier: "api-secondary")),
          healthCheckKey: "api-us-west-2"),
      ],
      alarms: [
        DesiredAlarm(
          alarm: .healthCheckStatus(
            name: "\(prefix)api-us-east-1-health", healthCheckID: "",
            description: "Monitor primary region service health"),
          healthCheckKey: "api-us-east-1"),
        DesiredAlarm(
          alarm: .healthCheckStatus(
            name: "\(prefix)api-us-west-2-health", healthCheckID: "",
            description: "Monitor secondary region service health"),
          healthCheckKey: "api-us-west-2"),
      ])
  }

  private func withZone(_ context: MotoContext) async throws -> String {
    try await context.testerRoute53().createHostedZone(
      name: "example.com", callerReference: UUID().uuidString
    ).id
  }

  @Test(
    "Given the seed state, when bootstrapped, then plan shows no drift and a second bootstrap sends nothing")
  func bootstrapIsIdempotent() async throws {
    let context = try await MotoContext.make(Self.moto)
    _ = try await withZone(context)
    let proxy = try await FaultProxy(upstreamPort: await Self.moto.port)
    defer { proxy.stop() }
    let provisioner = Provisioner(
      route53: context.route53(url: proxy.url), cloudWatch: context.cloudWatch(url: proxy.url),
      changeTimeout: 30,
      changePollInterval: 0.2)
    let desired = Self.seedState()

    let before = try await provisioner.plan(desired)
    #expect(before.count == 6)
    #expect(Drift.exitCode(before) == 2)
    let first = try await provisioner.bootstrap(desired)
    #expect(first.changeBatches.count == 1)
    #expect(first.changeBatches.first?.changes.count == 2)
    #expect(first.actions.count == 4)

    let after = try await provisioner.plan(desired)
    #expect(after.isEmpty, "\(after.map(\.description))")
    #expect(Drift.exitCode(after) == 0)

    let sentBefore = proxy.requests.count
    let second = try await provisioner.bootstrap(desired)
    #expect(second.isEmpty)
    #expect(second.description.contains("Nothing to do"))
    let secondRun = proxy.requests.dropFirst(sentBefore)
    // ListTagsForResources is the one read that Route53 does with a POST.
    let mutating = secondRun.filter {
      ($0.contains("POST /2013") && !$0.hasSuffix("POST /2013-04-01/tags/healthcheck"))
        || $0.contains("DELETE")
        || $0.contains("Action=PutMetricAlarm")
    }
    #expect(mutating.isEmpty, "\(mutating)")

    // The records point at the health checks bootstrap created; the alarms watch them.
    let route53 = context.route53()
    let zoneID = try await route53.hostedZoneID(forDomain: "example.com")
    let records = try await route53.records(zoneID: zoneID, name: "api.example.com")
    let checks = try await route53.listHealthChecks()
    #expect(Set(records.compactMap(\.healthCheckID)) == Set(checks.map(\.id)))
    let tags = try await route53.healthCheckTags(ids: checks.map(\.id))
    #expect(Set(tags.values.compactMap { $0["Name"] }) == ["api-us-east-1", "api-us-west-2"])
    let alarms = try await context.cloudWatch().describeAlarms(prefix: "switchboard-")
    #expect(Set(alarms.compactMap { $0.alarm.dimensions["HealthCheckId"] }) == Set(checks.map(\.id)))
  }

  @Test(
    "Given a bootstrapped state, when torn down, then plan shows everything missing and others' things remain"
  )
  func teardownRemovesOnlyOwned() async throws {
    let context = try await MotoContext.make(Self.moto)
    let zoneID = try await withZone(context)
    let tester = context.testerRoute53()
    let other = DNSRecord(name: "other.example.com", type: "A", ttl: 300, values: ["192.0.2.10"])
    _ = try await tester.submit(DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.create, other)]))
    let foreignCheck = try await tester.createHealthCheck(
      callerReference: "someone-else-1",
      config: HealthCheckConfig(type: "HTTP", ipAddress: "192.0.2.10", port: 80))
    let testerCloudWatch = CloudWatchClient(
      endpoint: context.url, region: "us-east-1", credentials: StaticCredentialProvider(context.tester))
    try await testerCloudWatch.putMetricAlarm(
      .healthCheckStatus(name: "other-alarm", healthCheckID: foreignCheck.id))
    let provisioner = context.provisioner()
    let desired = Self.seedState()
    _ = try await provisioner.bootstrap(desired)

    let report = try await provisioner.teardown(desired)
    #expect(report.changeBatches.first?.changes.allSatisfy { $0.action == .delete } == true)

    let drifts = try await provisioner.plan(desired)
    #expect(drifts.count == 6)
    #expect(drifts.allSatisfy { $0.kind == .missing }, "\(drifts.map(\.description))")
    #expect(drifts.map(\.description).contains("missing record api.example.com CNAME (set api-primary)"))
    #expect(try await tester.records(zoneID: zoneID, name: "other.example.com") == [other])
    #expect(try await tester.listHealthChecks().map(\.id) == [foreignCheck.id])
    #expect(try await testerCloudWatch.describeAlarms().map(\.alarm.name) == ["other-alarm"])
  }

  @Test("Given changes made behind Switchboard's back, when planning, then each differs with have → want")
  func driftDetection() async throws {
    let context = try await MotoContext.make(Self.moto)
    let zoneID = try await withZone(context)
    let provisioner = context.provisioner()
    let desired = Self.seedState()
    _ = try await provisioner.bootstrap(desired)
    let tester = context.testerRoute53()
    var primary = try #require(
      try await tester.records(zoneID: zoneID, name: "api.example.com").first {
        $0.setIdentifier == "api-primary"
      })
    primary.ttl = 300
    _ = try await tester.submit(DNSChangeBatch(zoneID: zoneID, changes: [DNSChange(.upsert, primary)]))
    let check = try #require(
      try await tester.listHealthChecks().first {
        $0.config.fullyQualifiedDomainName == "primary.lattice.example.net"
      })
    _ = try await tester.updateHealthCheck(id: check.id, HealthCheckUpdate(failureThreshold: 7))
    try await tester.changeHealthCheckTags(id: check.id, add: ["Name": "renamed", "Team": "sre"])
    var alarm = try #require(
      try await context.cloudWatch().describeAlarms(prefix: "switchboard-api-us-east-1").first)
    alarm.alarm.threshold = 0.5
    try await context.cloudWatch().putMetricAlarm(alarm.alarm)

    let drifts = try await provisioner.plan(desired).map(\.description).sorted()

    #expect(
      drifts == [
        "differs alarm switchboard-api-us-east-1-health (threshold: 0.5 → 1)",
        "differs health check api-us-east-1 (\(check.id)) (failure threshold: 7 → 3; tag Name: renamed → api-us-east-1)",
        "differs record api.example.com CNAME (set api-primary) (ttl: 300 → 60)",
      ])
    let repair = try await provisioner.bootstrap(desired)
    #expect(repair.changeBatches.first?.changes.count == 1)
    #expect(try await provisioner.plan(desired).isEmpty)
    // Tags Switchboard does not manage are left alone.
    #expect(
      try await tester.healthCheckTags(ids: [check.id])[check.id] == ["Name": "api-us-east-1", "Team": "sre"])
  }

  @Test("Given a dry run, when bootstrapping, then the change batch is printed and nothing is created")
  func dryRun() async throws {
    let context = try await MotoContext.make(Self.moto)
    _ = try await withZone(context)
    let provisioner = context.provisioner()

    let report = try await provisioner.bootstrap(Self.seedState(), dryRun: true)
    let text = report.description

    #expect(report.dryRun)
    #expect(text.contains("Would: create health check api-us-east-1"))
    #expect(text.contains("UPSERT api.example.com CNAME failover=PRIMARY set=api-primary ttl=60"))
    #expect(text.contains("health-check=<new api-us-east-1>"))
    #expect(text.contains("Would: create alarm switchboard-api-us-west-2-health"))
    #expect(try await provisioner.plan(Self.seedState()).count == 6)
  }

  @Test(
    "Given no hosted zone, when bootstrapping, then it fails unless create-zone is on; teardown removes that zone"
  )
  func createZone() async throws {
    let context = try await MotoContext.make(Self.moto)
    let provisioner = context.provisioner()
    let desired = Self.seedState()

    let refused = await #expect(throws: AWSError.self) { try await provisioner.bootstrap(desired) }
    #expect(refused?.description.contains("--create-zone") == true)
    #expect(try await provisioner.plan(desired).first?.description == "missing hosted zone example.com")

    let report = try await provisioner.bootstrap(desired, createZone: true)
    #expect(report.actions.first == "create hosted zone example.com")
    #expect(try await provisioner.plan(desired).isEmpty)

    let teardown = try await provisioner.teardown(desired)
    #expect(teardown.actions.last?.hasPrefix("delete hosted zone example.com") == true)
    #expect(try await context.route53().hostedZone(forDomain: "example.com") == nil)
  }

  @Test("Given an owned alarm no longer configured, when planning, then it is reported as extra-owned")
  func extraOwned() async throws {
    let context = try await MotoContext.make(Self.moto)
    _ = try await withZone(context)
    let provisioner = context.provisioner()
    var desired = Self.seedState()
    _ = try await provisioner.bootstrap(desired)

    desired.alarms.removeLast()
    let drifts = try await provisioner.plan(desired)
    #expect(
      drifts.map(\.description) == [
        "extra-owned alarm switchboard-api-us-west-2-health (created by Switchboard, no longer configured)"
      ])
  }

  @Test(
    "Given weighted active-active records, when bootstrapped, then plan shows none; a weight change is drift")
  func weighted() async throws {
    let context = try await MotoContext.make(Self.moto)
    _ = try await withZone(context)
    let provisioner = context.provisioner()
    var desired = DesiredState(
      zoneDomain: "example.com",
      records: [
        DesiredRecord(
          record: DNSRecord(
            name: "app.example.com", type: "A", ttl: 30, values: ["198.51.100.1"],
            routing: .weighted(weight: 50, setIdentifier: "app-us-east-1"))),
        DesiredRecord(
          record: DNSRecord(
            name: "app.example.com", type: "A", ttl: 30, values: ["198.51.100.2"],
            routing: .weighted(weight: 50, setIdentifier: "app-us-west-2"))),
      ])
    _ = try await provisioner.bootstrap(desired)
    #expect(try await provisioner.plan(desired).isEmpty)

    desired.records[1].record.routing = .weighted(weight: 0, setIdentifier: "app-us-west-2")
    #expect(
      try await provisioner.plan(desired).map(\.description) == [
        "differs record app.example.com A (set app-us-west-2) (routing: weight 50 (set app-us-west-2) → weight 0 (set app-us-west-2))"
      ])
  }

  @Test(
    "Given a health check whose type changed, when bootstrapping, then it refuses before changing anything")
  func immutableHealthCheckField() async throws {
    let context = try await MotoContext.make(Self.moto)
    _ = try await withZone(context)
    let provisioner = context.provisioner()
    var desired = Self.seedState()
    _ = try await provisioner.bootstrap(desired)

    desired.healthChecks[0].config.type = "HTTP"
    desired.records[0].record.ttl = 120
    let error = await #expect(throws: AWSError.self) { try await provisioner.bootstrap(desired) }

    #expect(error?.description.contains("type: HTTPS → HTTP") == true)
    #expect(error?.description.contains("run teardown, then bootstrap") == true)
    let drifts = try await provisioner.plan(desired).map(\.description)
    #expect(drifts.contains("differs record api.example.com CNAME (set api-primary) (ttl: 60 → 120)"))
  }

  @Test("Given an inconsistent desired state, then the provisioner refuses it before calling AWS")
  func invalidDesiredState() async throws {
    let context = try await MotoContext.make(Self.moto)
    var desired = Self.seedState()
    desired.records[0].healthCheckKey = "nope"
    desired.alarms[0].alarm.name = "unprefixed"
    let error = await #expect(throws: AWSError.self) { try await context.provisioner().plan(desired) }
    #expect(error?.description.contains("unknown health check nope") == true)
    #expect(error?.description.contains("must start with the owner prefix") == true)
  }
}
