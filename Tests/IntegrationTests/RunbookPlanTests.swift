import AWS
import FailoverCore
import Foundation
import Testing

/// `switchboard plan` checks the runbooks' ECS services against moto_server (signed as the shipped policy's user).
@Suite("switchboard plan checks runbooks against moto", .serialized)
struct RunbookPlanTests {
  @Test(
    "Given a runbook scaling an ECS service that does not exist, when plan runs, then it is drift in each region until the service exists"
  )
  func missingECSServiceIsDrift() async throws {
    let moto = MotoServer()
    try await moto.start()
    let users = try await moto.fresh()
    let url = await moto.url
    let environment = try SwitchboardBinary.isolatedEnvironment([
      "AWS_ENDPOINT_URL": url.absoluteString, "AWS_ACCESS_KEY_ID": users.switchboard.accessKeyID,
      "AWS_SECRET_ACCESS_KEY": users.switchboard.secretAccessKey,
    ])
    let example = try String(
      contentsOfFile: SwitchboardBinary.repositoryRoot + "/examples/two-region.yaml", encoding: .utf8)
    let directory = try ChildProcess.temporaryDirectory("runbook-plan")
    let path = directory + "/config.yaml"
    try
      (example.replacingOccurrences(
        of: "path: data/switchboard.sqlite", with: "path: \(directory)/store.sqlite")
        + """
            runbook:
              before_traffic:
                - {name: scale-secondary, kind: ecs_scale, cluster: api, service: api-web}

        """).write(toFile: path, atomically: true, encoding: .utf8)
    let bootstrap = try await SwitchboardBinary.run(
      ["bootstrap", "--config", path, "--create-zone"], environment: environment)
    #expect(bootstrap.status == 0, "\(bootstrap)")

    let missing = try await SwitchboardBinary.run(["plan", "--config", path], environment: environment)
    #expect(missing.status == 2, "\(missing)")
    for region in ["us-east-1", "us-west-2"] {
      #expect(
        missing.stdout.contains(
          "missing ECS service api/api-web in \(region) (runbook step before_traffic scale-secondary)"),
        "\(missing)")
    }

    let ecs = ECSClient(endpoint: { _ in url }, credentials: StaticCredentialProvider(users.tester))
    struct Cluster: Encodable { var clusterName = "api" }
    struct CreateService: Encodable {
      var cluster = "api"
      var serviceName = "api-web"
      var desiredCount = 1
    }
    struct Anything: Decodable {}
    for region in ["us-east-1", "us-west-2"] {
      _ = try await ecs.json(region: region).call("CreateCluster", Cluster(), as: Anything.self)
      _ = try await ecs.json(region: region).call("CreateService", CreateService(), as: Anything.self)
    }
    let clean = try await SwitchboardBinary.run(["plan", "--config", path], environment: environment)
    #expect(clean.status == 0, "\(clean)")
    #expect(clean.stdout.contains("No drift"), "\(clean)")
  }
}
