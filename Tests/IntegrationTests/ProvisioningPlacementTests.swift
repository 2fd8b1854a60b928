import AWS
import FailoverCore
import Foundation
import Testing

/// Where bootstrap puts things: alarms on Route53 metrics in us-east-1 whatever `aws.region` says, and records in
/// the zone `hosted_zone_id` names when two zones share a name. The binary against moto_server.
@Suite("Alarm region and hosted_zone_id against moto", .serialized)
struct ProvisioningPlacementTests {
  static let moto = MotoServer()

  static func inEUWest1(_ text: String) -> String {
    text.replacingOccurrences(of: "aws:\n  region: us-east-1", with: "aws:\n  region: eu-west-1")
  }

  @Test(
    "Given aws.region eu-west-1, when bootstrapped, then the HealthCheckStatus alarms are in us-east-1 only, plan is clean and teardown removes them"
  )
  func route53AlarmsLiveInUSEast1() async throws {
    let setup = try await ExampleSetup.make(Self.moto, example: "two-region.yaml", edit: Self.inEUWest1)
    let east = setup.cloudWatch(region: "us-east-1")
    let west = setup.cloudWatch(region: "eu-west-1")
    // An alarm an earlier bootstrap left in the configured region, where Route53 publishes nothing.
    try await west.putMetricAlarm(
      MetricAlarm.healthCheckStatus(
        name: "switchboard-example.com/api.example.com/us-east-1", healthCheckID: "left-over",
        description: "left by an earlier bootstrap"))

    let bootstrap = try await setup.run(["bootstrap", "--config", setup.configPath, "--create-zone"])
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(
      bootstrap.stdout.contains(
        "create alarm switchboard-example.com/api.example.com/us-east-1 on AWS/Route53 HealthCheckStatus in us-east-1"
      ), "\(bootstrap)")
    #expect(
      bootstrap.stdout.contains(
        "delete alarm switchboard-example.com/api.example.com/us-east-1 in eu-west-1"),
      "\(bootstrap)")

    let inEast = try await east.describeAlarms(prefix: "switchboard-").map(\.alarm.name)
    let inWest = try await west.describeAlarms(prefix: "switchboard-").map(\.alarm.name)
    print("alarms after bootstrap with aws.region eu-west-1: us-east-1 \(inEast), eu-west-1 \(inWest)")
    #expect(
      Set(inEast) == [
        "switchboard-example.com/api.example.com/us-east-1",
        "switchboard-example.com/api.example.com/us-west-2",
      ])
    // Only the cluster's heartbeat alarm is in aws.region: the heartbeat metric is published there.
    #expect(inWest == ["switchboard-switchboard-heartbeat"])

    let plan = try await setup.run(["plan", "--config", setup.configPath])
    #expect(plan.status == 0, "\(plan)")

    let teardown = try await setup.run(["teardown", "--config", setup.configPath])
    #expect(teardown.status == 0, "\(teardown)")
    #expect(teardown.stdout.contains("in us-east-1"), "\(teardown)")
    #expect(try await east.describeAlarms(prefix: "switchboard-").isEmpty)
    #expect(try await west.describeAlarms(prefix: "switchboard-").isEmpty)
  }

  @Test(
    "Given two zones named example.com and hosted_zone_id naming the second, when bootstrapped and failed over, then only the second zone changes"
  )
  func hostedZoneIDPicksTheZone() async throws {
    let setup0 = try await ExampleSetup.make(Self.moto, example: "two-region.yaml")
    let first = try await setup0.tester.createHostedZone(name: "example.com", callerReference: "public-view")
    let second = try await setup0.tester.createHostedZone(
      name: "example.com", callerReference: "private-view")
    let setup = try await ExampleSetup.reconfigure(setup0) {
      $0.replacingOccurrences(
        of: "    hosted_zone: example.com\n",
        with: "    hosted_zone: example.com\n    hosted_zone_id: \(second.id)\n")
    }

    let bootstrap = try await setup.run(["bootstrap", "--config", setup.configPath])
    #expect(bootstrap.status == 0, "\(bootstrap)")
    #expect(try await setup.listAll("api.example.com", zoneID: first.id).isEmpty)
    #expect(
      try await setup.listAll("api.example.com", zoneID: second.id) == [
        ListedRecordSet("api.example.com", nil, "simple", ["192.0.2.10"], check: false)
      ])

    try await FailoverRecordSetsTests.failOver(setup, service: "api.example.com") {
      .single($0.service, "us-west-2")
    }
    #expect(try await setup.listAll("api.example.com", zoneID: first.id).isEmpty)
    #expect(
      try await setup.listAll("api.example.com", zoneID: second.id) == [
        ListedRecordSet("api.example.com", nil, "simple", ["192.0.2.20"], check: false)
      ])
    let plan = try await setup.run(["plan", "--config", setup.configPath])
    #expect(plan.status == 0, "\(plan)")
  }

  @Test(
    "Given hosted_zone_id naming a zone of another name, or no zone, when planned, then it exits 1 naming the config line"
  )
  func hostedZoneIDMismatch() async throws {
    let setup0 = try await ExampleSetup.make(Self.moto, example: "two-region.yaml")
    let other = try await setup0.tester.createHostedZone(name: "example.org", callerReference: "other")
    for (zoneID, expected) in [
      (other.id, "is named example.org, not example.com"),
      ("Z0NOSUCHZONE", "no hosted zone with id Z0NOSUCHZONE"),
    ] {
      let setup = try await ExampleSetup.reconfigure(setup0) {
        $0.replacingOccurrences(
          of: "    hosted_zone: example.com\n",
          with: "    hosted_zone: example.com\n    hosted_zone_id: \(zoneID)\n")
      }
      let plan = try await setup.run(["plan", "--config", setup.configPath])
      #expect(plan.status == 1, "\(plan)")
      #expect(plan.stderr.contains(expected), "\(plan)")
      #expect(plan.stderr.contains("\(setup.configPath):33:21"), "the line of hosted_zone_id: \(plan)")
      let bootstrap = try await setup.run(["bootstrap", "--config", setup.configPath, "--create-zone"])
      #expect(bootstrap.status == 1, "\(bootstrap)")
      #expect(try await setup.tester.listHostedZonesByName().count == 1, "nothing created")
    }
  }

  @Test(
    "Given hosted_zone_id that is not a zone id, or one id for two domains, when validated offline, then each is a problem with its line"
  )
  func hostedZoneIDValidation() async throws {
    let setup = try await ExampleSetup.make(Self.moto, example: "two-region.yaml")
    let domain = try await ExampleSetup.reconfigure(setup) {
      $0.replacingOccurrences(
        of: "    hosted_zone: example.com\n",
        with: "    hosted_zone: example.com\n    hosted_zone_id: example.com\n")
    }
    let refused = try await domain.run(["validate", domain.configPath])
    #expect(refused.status == 1, "\(refused)")
    #expect(
      (refused.stdout + refused.stderr).contains(
        "\(domain.configPath):33:21: `services[0].hosted_zone_id` must be a Route53 hosted zone id"),
      "\(refused)")

    let shared = try await ExampleSetup.reconfigure(setup) {
      $0.replacingOccurrences(
        of: "    hosted_zone: example.com\n",
        with: "    hosted_zone: example.com\n    hosted_zone_id: Z0SHARED\n")
          + """

            - id: shop
              dns_name: shop.example.org
              hosted_zone: example.org
              hosted_zone_id: Z0SHARED
              regions:
                - region: us-west-2
                  target: 192.0.2.30
                  signals:
                    - type: http
                      url: https://shop.example.org/health

          """
    }
    let mismatch = try await shared.run(["validate", shared.configPath])
    #expect(mismatch.status == 1, "\(mismatch)")
    #expect(
      (mismatch.stdout + mismatch.stderr).contains(
        "hosted zone Z0SHARED is named example.com in services[0]"),
      "\(mismatch)")
  }
}
