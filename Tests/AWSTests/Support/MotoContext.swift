import AWS
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// What a moto-backed test gets: the server, the credentials of the IAM user, and clients.
struct MotoContext: Sendable {
  let url: URL
  /// The IAM user holding the shipped policy: what Switchboard runs as.
  let credentials: AWSCredentials
  /// An IAM user allowed everything, for test setup and verification.
  let tester: AWSCredentials
  var provider: any AWSCredentialProvider { StaticCredentialProvider(credentials) }

  /// Quick retries so fault tests finish fast.
  static let testRetry = RetryPolicy(
    maxAttempts: 4, baseDelay: 0.05, maxBackoff: 0.5, maxTotalTime: 120, perCallTimeout: 60)

  func route53(url: URL? = nil, retry: RetryPolicy = testRetry) -> Route53Client {
    Route53Client(endpoint: url ?? self.url, credentials: provider, retry: retry)
  }

  func cloudWatch(url: URL? = nil, retry: RetryPolicy = testRetry) -> CloudWatchClient {
    CloudWatchClient(endpoint: url ?? self.url, region: "us-east-1", credentials: provider, retry: retry)
  }

  /// A query-protocol client for any service, signed as the tester.
  func testerQuery(service: String, signingName: String, version: String) -> AWSQueryClient {
    let executor = AWSRequestExecutor(
      endpoint: AWSServiceEndpoint(
        serviceName: service, signingName: signingName, region: "us-east-1", url: url),
      credentials: StaticCredentialProvider(tester), retry: RetryPolicy(maxAttempts: 1))
    return AWSQueryClient(executor: executor, version: version)
  }

  /// A Route53 client signed as the tester.
  func testerRoute53() -> Route53Client {
    Route53Client(
      endpoint: url, credentials: StaticCredentialProvider(tester), retry: RetryPolicy(maxAttempts: 1))
  }

  func provisioner() -> Provisioner {
    Provisioner(route53: route53(), cloudWatch: cloudWatch(), changeTimeout: 30, changePollInterval: 0.2)
  }

  static func make(_ moto: MotoServer) async throws -> MotoContext {
    let users = try await moto.fresh()
    return MotoContext(url: await moto.url, credentials: users.switchboard, tester: users.tester)
  }
}
