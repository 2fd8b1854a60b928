import AWS
import FailoverCore
import Foundation
import Testing

@Suite("Clients configured from the environment, against moto_server", .serialized)
struct AWSClientsTests {
  static let moto = MotoServer()

  @Test("Given only AWS_* variables, when the clients are built from them, then every service answers")
  func fromEnvironment() async throws {
    let context = try await MotoContext.make(Self.moto)
    let home = try ChildProcess.temporaryDirectory("clients-home")
    let clients = AWSClients(
      location: SharedConfigLocation(
        environment: [
          "AWS_ENDPOINT_URL": context.url.absoluteString, "AWS_REGION": "us-west-2",
          "AWS_ACCESS_KEY_ID": context.credentials.accessKeyID,
          "AWS_SECRET_ACCESS_KEY": context.credentials.secretAccessKey, "AWS_EC2_METADATA_DISABLED": "true",
        ], homeDirectory: home),
      retry: MotoContext.testRetry)

    #expect(clients.region == "us-west-2")
    _ = try await clients.route53.createHostedZone(name: "example.com", callerReference: "z")
    #expect(try await clients.provisioner().plan(ProvisionerTests.seedState()).count == 6)
    try await clients.cloudWatch.publish(
      namespace: "Switchboard", [MetricDatum(name: "Ticks", value: 1, unit: "Count", timestamp: Date())])
  }
}
