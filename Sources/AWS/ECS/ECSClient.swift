import FailoverCore
import Foundation

/// ECS over its JSON 1.1 protocol (`AmazonEC2ContainerServiceV20141113.*`): DescribeServices and UpdateService,
/// in whichever region a runbook step names. Implements FailoverCore's `CapacityProvider`.
public struct ECSClient: CapacityProvider {
  private let endpoint: @Sendable (String) -> URL
  private let credentials: any AWSCredentialProvider
  private let transport: any AWSHTTPTransport
  private let retry: RetryPolicy
  private let observer: (any AWSCallObserver)?

  /// A client whose endpoint per region comes from `endpoint` (the resolver's, with overrides).
  public init(
    endpoint: @escaping @Sendable (String) -> URL, credentials: any AWSCredentialProvider,
    transport: any AWSHTTPTransport = URLSessionTransport(), retry: RetryPolicy = .standard,
    observer: (any AWSCallObserver)? = nil
  ) {
    self.endpoint = endpoint
    self.credentials = credentials
    self.transport = transport
    self.retry = retry
    self.observer = observer
  }

  /// The JSON client for one region.
  public func json(region: String) -> AWSJSONClient {
    AWSJSONClient(
      executor: AWSRequestExecutor(
        endpoint: AWSServiceEndpoint(
          serviceName: "ECS", signingName: "ecs", region: region, url: endpoint(region)),
        credentials: credentials, transport: transport, retry: retry, observer: observer),
      targetPrefix: "AmazonEC2ContainerServiceV20141113")
  }

  /// DescribeServices for one service.
  public func describeService(region: String, cluster: String, service: String) async throws -> ECSService {
    let answer = try await json(region: region).call(
      "DescribeServices", DescribeServicesInput(cluster: cluster, services: [service]),
      as: DescribeServicesOutput.self)
    guard let found = answer.services?.first(where: { $0.status != "INACTIVE" }) else {
      let reason = answer.failures?.first?.reason ?? "MISSING"
      throw AWSError.notFound("the ECS service \(service) in cluster \(cluster) (\(region)): \(reason)")
    }
    return found
  }

  public func counts(region: RegionID, cluster: String, service: String) async throws -> ServiceCapacity {
    let found = try await describeService(region: region.rawValue, cluster: cluster, service: service)
    return ServiceCapacity(desired: found.desiredCount ?? 0, running: found.runningCount ?? 0)
  }

  public func setDesiredCount(_ count: Int, region: RegionID, cluster: String, service: String) async throws {
    _ = try await json(region: region.rawValue).call(
      "UpdateService", UpdateServiceInput(cluster: cluster, service: service, desiredCount: count),
      as: UpdateServiceOutput.self)
  }
}

/// An ECS service as DescribeServices reports it (the fields Switchboard reads).
public struct ECSService: Sendable, Hashable, Codable {
  public var serviceName: String?
  public var status: String?
  public var desiredCount: Int?
  public var runningCount: Int?
}

struct DescribeServicesInput: Encodable {
  var cluster: String
  var services: [String]
}

struct DescribeServicesOutput: Decodable {
  struct Failure: Decodable {
    var arn: String?
    var reason: String?
  }
  var services: [ECSService]?
  var failures: [Failure]?
}

struct UpdateServiceInput: Encodable {
  var cluster: String
  var service: String
  var desiredCount: Int
}

struct UpdateServiceOutput: Decodable {
  var service: ECSService?
}
