import AWS
import FailoverCore
import Foundation

/// The seed recipe's hosted zone in moto: `example.com` with the service's A record at the primary's target,
/// created by the `tester` user, whose Route53 client the test keeps to read back what Switchboard changed.
struct ExampleZone {
  /// A Route53 client as the tester (no retries: a test reads what is there).
  let route53: Route53Client
  /// The zone's id without the `/hostedzone/` prefix.
  let zoneID: String

  static func create(
    motoURL: URL, tester: AWSCredentials, record name: String = "api.example.com",
    value: String = "192.0.2.10"
  ) async throws -> ExampleZone {
    let route53 = Route53Client(
      endpoint: motoURL, credentials: StaticCredentialProvider(tester), retry: AWS.RetryPolicy(maxAttempts: 1)
    )
    let zone = try await route53.createHostedZone(name: "example.com", callerReference: UUID().uuidString)
    let zoneID = zone.id.split(separator: "/").last.map(String.init) ?? zone.id
    _ = try await route53.submit(
      DNSChangeBatch(
        zoneID: zoneID,
        changes: [DNSChange(.upsert, DNSRecord(name: name, type: "A", ttl: 60, values: [value]))]))
    return ExampleZone(route53: route53, zoneID: zoneID)
  }
}
