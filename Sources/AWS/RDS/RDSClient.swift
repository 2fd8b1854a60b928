import FailoverCore
import Foundation

/// RDS over the query protocol (2014-10-31): describe and promote read replicas (instances and clusters) in
/// whichever region a runbook step names. Implements FailoverCore's `DatabasePromoter`.
public struct RDSClient: DatabasePromoter {
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

  /// The query client for one region.
  public func query(region: String) -> AWSQueryClient {
    AWSQueryClient(
      executor: AWSRequestExecutor(
        endpoint: AWSServiceEndpoint(
          serviceName: "RDS", signingName: "rds", region: region, url: endpoint(region)),
        credentials: credentials, transport: transport, retry: retry, observer: observer),
      version: "2014-10-31")
  }

  public func state(region: RegionID, identifier: String, cluster: Bool) async throws -> DatabaseReplicaState
  {
    let client = query(region: region.rawValue)
    if cluster {
      let result = try await client.call("DescribeDBClusters", [("DBClusterIdentifier", identifier)])
      guard let found = result.first(named: "DBCluster") else {
        throw AWSError.notFound("the DB cluster \(identifier) in \(region)")
      }
      let source = found.value("ReplicationSourceIdentifier") ?? ""
      return DatabaseReplicaState(status: found.value("Status") ?? "unknown", isReplica: !source.isEmpty)
    }
    let result = try await client.call("DescribeDBInstances", [("DBInstanceIdentifier", identifier)])
    guard let found = result.first(named: "DBInstance") else {
      throw AWSError.notFound("the DB instance \(identifier) in \(region)")
    }
    let source = found.value("ReadReplicaSourceDBInstanceIdentifier") ?? ""
    return DatabaseReplicaState(
      status: found.value("DBInstanceStatus") ?? "unknown", isReplica: !source.isEmpty)
  }

  public func promote(region: RegionID, identifier: String, cluster: Bool) async throws {
    let client = query(region: region.rawValue)
    if cluster {
      try await client.call("PromoteReadReplicaDBCluster", [("DBClusterIdentifier", identifier)])
    } else {
      try await client.call("PromoteReadReplica", [("DBInstanceIdentifier", identifier)])
    }
  }
}
