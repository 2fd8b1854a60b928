import AWS
import FailoverCore
import Foundation
import Testing

/// plan, bootstrap and teardown run as the built binary against moto_server (signature checking on, signing as
/// an IAM user that holds docs/iam-policy.json). One moto for the suite, reset before every test.
@Suite("switchboard plan, bootstrap, teardown against moto", .serialized)
struct ProvisioningCommandTests {
  static let moto = MotoServer()
  static let twoRegion = SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml"

  /// A fresh moto, the environment the binary runs with, and clients signed as an all-powerful tester.
  struct Peer {
    var environment: [String: String]
    var route53: Route53Client
    var cloudWatch: CloudWatchClient
  }

  func freshPeer() async throws -> Peer {
    let users = try await Self.moto.fresh()
    let url = await Self.moto.url
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ENDPOINT_URL": url.absoluteString, "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
    ])
    let tester = StaticCredentialProvider(users.tester)
    let once = AWS.RetryPolicy(maxAttempts: 1)
    return Peer(
      environment: environment, route53: Route53Client(endpoint: url, credentials: tester, retry: once),
      cloudWatch: CloudWatchClient(endpoint: url, region: "us-east-1", credentials: tester, retry: once))
  }

  func run(_ arguments: [String], _ peer: Peer) async throws -> CommandResult {
    try await SwitchboardBinary.run(arguments, environment: peer.environment)
  }

  @Test(
    "Given an empty account, when bootstrap runs with --dry-run, then it prints the batches and changes nothing"
  )
  func dryRunChangesNothing() async throws {
    let peer = try await freshPeer()

    let result = try await run(["bootstrap", "--config", Self.twoRegion, "--dry-run", "--create-zone"], peer)

    #expect(result.status == 0, "\(result)")
    for expected in [
      "Would: create hosted zone example.com",
      "Would: create health check api.example.com/us-east-1 (HTTP 127.0.0.1:9001/health)",
      "Would: create health check api.example.com/us-west-2 (HTTP 127.0.0.1:9002/health)",
      "Would: create alarm switchboard-example.com/api.example.com/us-east-1 on AWS/Route53 HealthCheckStatus",
      "  UPSERT api.example.com A ttl=60 values=192.0.2.10", "Dry run: nothing was changed.",
    ] {
      #expect(result.stdout.contains(expected), "missing \(expected) in \(result)")
    }
    #expect(result.lines.contains { $0.hasPrefix("Route53 change batch for zone ") }, "\(result)")
    #expect(try await peer.route53.listHostedZonesByName().isEmpty)
    #expect(try await peer.route53.listHealthChecks().isEmpty)
    #expect(try await peer.cloudWatch.describeAlarms().isEmpty)
  }

  @Test(
    "Given no hosted zone, when bootstrap runs without --create-zone, then it says how to proceed and exits 1"
  )
  func missingZoneNeedsCreateZone() async throws {
    let peer = try await freshPeer()
    let result = try await run(["bootstrap", "--config", Self.twoRegion], peer)
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("--create-zone"), "\(result)")
    #expect(try await peer.route53.listHealthChecks().isEmpty)
  }

  @Test(
    "Given the seed's setup, when bootstrapped, drifted, and torn down, then plan reports each state with its exit code"
  )
  func lifecycle() async throws {
    let peer = try await freshPeer()
    let config = ["--config", Self.twoRegion]

    // When bootstrap creates the zone, health checks, record and alarms...
    let bootstrap = try await run(["bootstrap"] + config + ["--create-zone"], peer)
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(bootstrap.stdout.contains("Did: create hosted zone example.com"), "\(bootstrap)")
    #expect(bootstrap.stdout.contains("UPSERT api.example.com A ttl=60 values=192.0.2.10"), "\(bootstrap)")
    let checks = try await peer.route53.listHealthChecks()
    #expect(checks.count == 2)
    #expect(checks.allSatisfy { $0.config.requestInterval == 10 && $0.config.failureThreshold == 3 })
    #expect(Set(checks.compactMap(\.config.ipAddress)) == ["127.0.0.1"])
    #expect(Set(checks.compactMap(\.config.port)) == [9001, 9002])
    // The zone's two health-check alarms (the cluster's heartbeat alarm, switchboard-switchboard-heartbeat, is
    // HeartbeatEndToEndTests' subject).
    let alarms = try await peer.cloudWatch.describeAlarms(prefix: "switchboard-example.com/")
    #expect(alarms.count == 2)
    #expect(try await peer.cloudWatch.describeAlarms(prefix: "switchboard-").count == 3)
    #expect(
      Set(alarms.compactMap { $0.alarm.dimensions["HealthCheckId"] }) == Set(checks.map(\.id)), "\(alarms)")

    // ...then plan finds nothing to do, and a second bootstrap sends nothing.
    let clean = try await run(["plan"] + config, peer)
    #expect(clean.status == 0, "\(clean)")
    #expect(clean.stdout.hasPrefix("No drift"), "\(clean)")
    let again = try await run(["bootstrap"] + config, peer)
    #expect(again.status == 0, "\(again)")
    #expect(again.stdout.hasPrefix("Nothing to do"), "\(again)")

    // When someone changes the record behind Switchboard's back, plan names it and exits 2.
    let zone = try #require(try await peer.route53.hostedZone(forDomain: "example.com"))
    let receipt = try await peer.route53.submit(
      DNSChangeBatch(
        zoneID: zone.id,
        changes: [
          DNSChange(.upsert, DNSRecord(name: "api.example.com", type: "A", ttl: 60, values: ["192.0.2.99"]))
        ]))
    #expect(receipt.id.isEmpty == false)
    let drifted = try await run(["plan"] + config, peer)
    #expect(drifted.status == 2, "\(drifted)")
    #expect(
      drifted.lines.contains {
        $0.hasPrefix("differs record api.example.com A") && $0.contains("values: 192.0.2.99 → 192.0.2.10")
      }, "\(drifted)")
    #expect(drifted.lines.count == 2, "one drift and the summary line: \(drifted)")

    // A dry-run teardown only says what it would delete.
    let rehearsal = try await run(["teardown"] + config + ["--dry-run"], peer)
    #expect(rehearsal.status == 0, "\(rehearsal)")
    #expect(rehearsal.stdout.contains("Would: delete"), "\(rehearsal)")
    #expect(try await peer.route53.listHealthChecks().count == 2)

    // When torn down, everything bootstrap made is gone and plan reports it all missing.
    let teardown = try await run(["teardown"] + config, peer)
    #expect(teardown.status == 0, "\(teardown)")
    #expect(teardown.stdout.contains("DELETE api.example.com A"), "\(teardown)")
    #expect(try await peer.route53.listHealthChecks().isEmpty)
    #expect(try await peer.cloudWatch.describeAlarms().isEmpty)
    #expect(try await peer.route53.listHostedZonesByName().isEmpty)
    let gone = try await run(["plan"] + config, peer)
    #expect(gone.status == 2, "\(gone)")
    for expected in [
      "missing hosted zone example.com", "missing health check api.example.com/us-east-1",
      "missing health check api.example.com/us-west-2", "missing record api.example.com A",
      "missing alarm switchboard-example.com/api.example.com/us-east-1",
      "missing alarm switchboard-example.com/api.example.com/us-west-2",
    ] {
      #expect(gone.lines.contains(expected), "missing \(expected) in \(gone)")
    }
    let twice = try await run(["teardown"] + config, peer)
    #expect(twice.status == 0, "\(twice)")
    #expect(twice.stdout.hasPrefix("Nothing to remove"), "\(twice)")
  }

  @Test(
    "Given services in two zones, one of them not Switchboard's, when torn down, then each zone keeps to its own resources"
  )
  func twoZones() async throws {
    let peer = try await freshPeer()
    // example.org exists already and holds someone else's record.
    let foreign = try await peer.route53.createHostedZone(
      name: "example.org", callerReference: "someone-else")
    _ = try await peer.route53.submit(
      DNSChangeBatch(
        zoneID: foreign.id,
        changes: [
          DNSChange(.upsert, DNSRecord(name: "mail.example.org", type: "A", ttl: 300, values: ["192.0.2.1"]))
        ]))
    let example = try String(contentsOfFile: Self.twoRegion, encoding: .utf8)
    let second = """

        - id: shop
          dns_name: shop.example.org
          hosted_zone: example.org
          record_type: A
          ttl: 30
          regions:
            - region: us-west-2
              target: 192.0.2.30
              signals:
                - type: http
                  url: https://shop-usw2.example.org/healthz?deep=1
                  interval: 30
                  failure_threshold: 2
      """
    let path = try ChildProcess.temporaryDirectory("zones") + "/two-zones.yaml"
    try (example + second).write(toFile: path, atomically: true, encoding: .utf8)
    let config = ["--config", path]

    let bootstrap = try await run(["bootstrap"] + config + ["--create-zone"], peer)
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(bootstrap.lines.contains("Hosted zone example.com:"), "\(bootstrap)")
    #expect(bootstrap.lines.contains("Hosted zone example.org:"), "\(bootstrap)")
    #expect(bootstrap.stdout.contains("Did: create hosted zone example.com"), "\(bootstrap)")
    #expect(!bootstrap.stdout.contains("Did: create hosted zone example.org"), "\(bootstrap)")
    let shopCheck = try #require(
      try await peer.route53.listHealthChecks().first {
        $0.callerReference.hasPrefix("switchboard-example.org/")
      })
    #expect(
      shopCheck.config
        == HealthCheckConfig(
          type: "HTTPS", fullyQualifiedDomainName: "shop-usw2.example.org", port: 443,
          resourcePath: "/healthz?deep=1", requestInterval: 30, failureThreshold: 2, enableSNI: true),
      "\(shopCheck)")
    let plan = try await run(["plan"] + config, peer)
    #expect(plan.status == 0, "\(plan)")

    let teardown = try await run(["teardown"] + config, peer)
    #expect(teardown.status == 0, "\(teardown)")
    #expect(try await peer.route53.listHealthChecks().isEmpty)
    #expect(try await peer.cloudWatch.describeAlarms().isEmpty)
    let zones = try await peer.route53.listHostedZonesByName()
    #expect(
      zones.map { $0.name.hasSuffix(".") ? String($0.name.dropLast()) : $0.name } == ["example.org"],
      "\(zones)")
    let left = try await peer.route53.records(zoneID: foreign.id, name: "mail.example.org")
    #expect(left.count == 1, "someone else's record must stay: \(left)")
    #expect(try await peer.route53.records(zoneID: foreign.id, name: "shop.example.org").isEmpty)
  }

  @Test(
    "Given weighted and failover-health-check examples, when bootstrapped twice, then plan is clean and the records carry health checks",
    arguments: [
      ("weighted.yaml", [String](), "www.example.com"),
      (
        "failover-health-check.yaml", ["--public-url", "https://switchboard.example.net:8443"],
        "checkout.example.com"
      ),
    ])
  func otherRoutingModes(_ file: String, _ extra: [String], _ name: String) async throws {
    let peer = try await freshPeer()
    let config = ["--config", SwitchboardBinary.repositoryRoot + "/examples/" + file] + extra

    let bootstrap = try await run(["bootstrap"] + config + ["--create-zone"], peer)
    #expect(bootstrap.status == 0, "\(bootstrap)")
    let plan = try await run(["plan"] + config, peer)
    #expect(plan.status == 0, "\(plan)")
    let again = try await run(["bootstrap"] + config, peer)
    #expect(again.stdout.hasPrefix("Nothing to do"), "\(again)")

    let zone = try #require(try await peer.route53.hostedZone(forDomain: "example.com"))
    let records = try await peer.route53.records(zoneID: zone.id, name: name)
    let checks = try await peer.route53.listHealthChecks()
    #expect(records.count == 2, "\(records)")
    #expect(Set(records.compactMap(\.healthCheckID)) == Set(checks.map(\.id)), "\(records) \(checks)")
    if file == "weighted.yaml" {
      #expect(
        Set(records.map(\.routing)) == [
          .weighted(weight: 60, setIdentifier: "web/us-east-1"),
          .weighted(weight: 40, setIdentifier: "web/us-west-2"),
        ])
      #expect(checks.allSatisfy { $0.config.type == "HTTPS_STR_MATCH" && $0.config.requestInterval == 10 })
    } else {
      #expect(
        Set(records.map(\.routing)) == [
          .failover(role: .primary, setIdentifier: "checkout/us-east-1"),
          .failover(role: .secondary, setIdentifier: "checkout/eu-west-1"),
        ])
      #expect(
        Set(checks.compactMap(\.config.resourcePath)) == [
          "/routing/checkout/us-east-1", "/routing/checkout/eu-west-1",
        ])
      #expect(
        checks.allSatisfy {
          $0.config.fullyQualifiedDomainName == "switchboard.example.net" && $0.config.port == 8443
        })
    }
  }

  @Test(
    "Given failover-health-check routing and a wildcard listen address, when planned without --public-url, then it exits 1 saying why"
  )
  func failoverNeedsPublicURL() async throws {
    let peer = try await freshPeer()
    let result = try await run(
      ["plan", "--config", SwitchboardBinary.repositoryRoot + "/examples/failover-health-check.yaml"], peer)
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("--public-url"), "\(result)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")

    var withVariable = peer
    withVariable.environment["SWITCHBOARD_PUBLIC_URL"] = "https://switchboard.example.net:8443"
    let planned = try await run(
      ["plan", "--config", SwitchboardBinary.repositoryRoot + "/examples/failover-health-check.yaml"],
      withVariable)
    #expect(planned.status == 2, "everything missing: \(planned)")
    #expect(
      planned.lines.contains("missing record checkout.example.com A (set checkout/us-east-1)"), "\(planned)")
  }

  @Test("Given a wrong secret key, when planned, then it exits 1 with one sentence about the credentials")
  func badCredentials() async throws {
    var peer = try await freshPeer()
    peer.environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-value"
    let result = try await run(["plan", "--config", Self.twoRegion], peer)
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("SignatureDoesNotMatch"), "\(result)")
    #expect(result.stderr.contains("Check the access key id and secret access key"), "\(result)")
    #expect(!result.stderr.contains("wrong-secret-value"), "the secret must never be printed")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
  }

  @Test("Given no credentials anywhere, when planned, then it exits 1 naming where credentials come from")
  func noCredentials() async throws {
    var peer = try await freshPeer()
    peer.environment["AWS_ACCESS_KEY_ID"] = nil
    peer.environment["AWS_SECRET_ACCESS_KEY"] = nil
    let result = try await run(["plan", "--config", Self.twoRegion], peer)
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.hasPrefix("switchboard plan: No AWS credentials"), "\(result)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
  }

  @Test("Given an endpoint nobody listens on, when planned, then it exits 1 with one clear sentence")
  func unreachableEndpoint() async throws {
    let port = try freeLoopbackPort()
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
      "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
    ])
    let started = Date()
    let result = try await SwitchboardBinary.run(
      ["plan", "--config", Self.twoRegion], environment: environment)
    #expect(result.status == 1, "\(result)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result)")
    #expect(result.stderr.hasPrefix("switchboard plan: Could not reach Route53"), "\(result)")
    #expect(result.stderr.contains("Check the endpoint URL"), "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
    print(
      "plan against an unreachable endpoint gave up after \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
    )
  }

  @Test("Given an invalid configuration, when planned, then it exits 1 before calling AWS")
  func invalidConfiguration() async throws {
    let path = try ChildProcess.temporaryDirectory("plan") + "/bad.yaml"
    try "regions: []\nservices: nope\n".write(toFile: path, atomically: true, encoding: .utf8)
    let result = try await SwitchboardBinary.run(
      ["plan", "--config", path], environment: try SwitchboardBinary.isolatedEnvironment([:]))
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("\(path):2:11:"), "\(result)")
    #expect(result.stderr.contains("is not a valid configuration"), "\(result)")
  }
}
