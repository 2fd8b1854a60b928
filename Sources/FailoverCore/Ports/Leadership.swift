import Foundation

/// Which part a node plays in a cluster right now.
public enum ClusterRole: String, Sendable, Hashable, Codable {
  /// Holds the leader lease: decides and runs workflows.
  case leader
  /// Another node leads (or nobody yet): serves reads, applies overrides through the store, forwards failovers.
  case follower
  /// Cut off from the cluster's store (no etcd quorum): serves what it last read, decides nothing.
  case degraded
}

/// The node that holds the leader lease, as the leader key records it.
public struct LeaderRecord: Sendable, Hashable, Codable {
  /// The leader's node id.
  public var nodeID: String
  /// Where the leader's API answers (manual failovers are forwarded there).
  public var apiURL: String
  /// When it won the election.
  public var electedAt: Date

  public init(nodeID: String, apiURL: String, electedAt: Date) {
    self.nodeID = nodeID
    self.apiURL = apiURL
    self.electedAt = electedAt
  }
}

/// One node of the cluster, as its membership key records it.
public struct ClusterMember: Sendable, Hashable {
  /// The node's id.
  public var nodeID: String
  /// Where its API answers.
  public var apiURL: String
  /// The role it reported at its last heartbeat.
  public var role: ClusterRole
  /// When the node started.
  public var startedAt: Date
  /// Its last heartbeat.
  public var heartbeatAt: Date
  /// Seconds its lease has left (nil when unknown).
  public var leaseSecondsLeft: Int?

  public init(
    nodeID: String, apiURL: String, role: ClusterRole, startedAt: Date, heartbeatAt: Date,
    leaseSecondsLeft: Int? = nil
  ) {
    self.nodeID = nodeID
    self.apiURL = apiURL
    self.role = role
    self.startedAt = startedAt
    self.heartbeatAt = heartbeatAt
    self.leaseSecondsLeft = leaseSecondsLeft
  }
}

/// What a node knows of the election right now (cheap: no call to the store).
public struct LeadershipStatus: Sendable, Hashable {
  /// This node's role.
  public var role: ClusterRole
  /// The leader as last read (nil: none known).
  public var leader: LeaderRecord?
  /// Why the node is in this role, in a sentence.
  public var detail: String

  public init(role: ClusterRole, leader: LeaderRecord?, detail: String) {
    self.role = role
    self.leader = leader
    self.detail = detail
  }
}

/// Leadership in a cluster: only the leader decides and runs workflows, and it confirms it still leads before every
/// call to the outside world. Nil in `EnginePorts` means a single node, always the leader.
public protocol Leadership: Sendable {
  /// Whether this node holds leadership now, with its lease's safety margin (no call to the store).
  func isLeader() -> Bool
  /// Confirms with the store that this node still holds the leader key it won and that its lease has more than the
  /// safety margin left; throws `LeadershipLost` otherwise. Called before every DNS change, notification and
  /// runbook call.
  func confirm() async throws
  /// This node's role and the leader, as last known.
  func status() -> LeadershipStatus
  /// Every live member, with its lease's time left (reads the store).
  func members() async throws -> [ClusterMember]
}

/// This node does not (or no longer) hold leadership: what it was about to do must not happen.
public struct LeadershipLost: Error, Sendable, CustomStringConvertible {
  /// Why, in a sentence.
  public var reason: String
  public init(_ reason: String) { self.reason = reason }
  public var description: String { "This node is not the leader: \(reason)" }
}
