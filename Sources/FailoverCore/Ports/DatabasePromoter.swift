/// Database replicas per region (RDS in production): read a replica's state, promote it to a standalone primary.
public protocol DatabasePromoter: Sendable {
  /// The replica's (or former replica's) state in a region; throws when it does not exist.
  func state(region: RegionID, identifier: String, cluster: Bool) async throws -> DatabaseReplicaState
  /// Starts promoting the replica to a standalone primary (one-way).
  func promote(region: RegionID, identifier: String, cluster: Bool) async throws
}

/// What a database reports about itself.
public struct DatabaseReplicaState: Sendable, Hashable {
  /// `available`, `modifying`, ... as RDS says.
  public var status: String
  /// Whether it still replicates from a source (false once promoted).
  public var isReplica: Bool

  public init(status: String, isReplica: Bool) {
    self.status = status
    self.isReplica = isReplica
  }
}
