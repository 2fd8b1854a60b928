import FailoverCore
import Foundation
import HTTPServer

/// Who this node is in its cluster, as the composition root knows it: its id, its API URL, the store backend and
/// the cluster's name.
public struct ClusterIdentity: Sendable, Hashable {
  /// This node's id (`serve --node-id`, default its listen address).
  public var nodeID: String
  /// Where its API answers (`serve --advertise-url`).
  public var apiURL: String
  /// `sqlite` or `etcd`.
  public var backend: String
  /// `cluster.name`.
  public var clusterName: String

  public init(nodeID: String, apiURL: String, backend: String, clusterName: String) {
    self.nodeID = nodeID
    self.apiURL = apiURL
    self.backend = backend
    self.clusterName = clusterName
  }
}

/// `GET /api/v1/cluster`: the backend, this node and its role, the leader, and every member with its lease's time
/// left and last heartbeat. A single node on SQLite is one member, itself, the leader.
public enum ClusterRoutes {
  struct NodeRepresentation: Encodable {
    var id: String
    var url: String
    var role: String
  }

  struct LeaderRepresentation: Encodable, Sendable, Hashable {
    var id: String
    var url: String
    @Nullable var since: Date?
  }

  struct MemberRepresentation: Encodable {
    var id: String
    var url: String
    var role: String
    @Nullable var leaseTtlLeft: Int?
    @Nullable var lastHeartbeat: Date?
    @Nullable var startedAt: Date?
  }

  struct ClusterRepresentation: Encodable {
    var backend: String
    var cluster: String
    var node: NodeRepresentation
    var role: String
    var detail: String
    @Nullable var leader: LeaderRepresentation?
    var members: [MemberRepresentation]
  }

  /// Registers the route (viewer role).
  public static func register(in router: inout Router, context: APIContext, identity: ClusterIdentity) {
    router.api(.GET, "/api/v1/cluster", role: .viewer, context: context) { request, _ in
      try QueryParameters(request).finish()
      return APIJSON.response(await representation(context.engine.leadership, identity: identity))
    }
  }

  static func representation(_ leadership: (any Leadership)?, identity: ClusterIdentity) async
    -> ClusterRepresentation
  {
    guard let leadership else {
      let me = MemberRepresentation(
        id: identity.nodeID, url: identity.apiURL, role: ClusterRole.leader.rawValue, leaseTtlLeft: nil,
        lastHeartbeat: nil, startedAt: nil)
      return ClusterRepresentation(
        backend: identity.backend, cluster: identity.clusterName,
        node: NodeRepresentation(
          id: identity.nodeID, url: identity.apiURL, role: ClusterRole.leader.rawValue),
        role: ClusterRole.leader.rawValue, detail: "A single node: it is always the leader.",
        leader: LeaderRepresentation(id: identity.nodeID, url: identity.apiURL, since: nil), members: [me])
    }
    let status = leadership.status()
    var detail = status.detail
    let members: [ClusterMember]
    do { members = try await leadership.members() } catch {
      members = []
      detail += " The members cannot be listed: \(error)"
    }
    return ClusterRepresentation(
      backend: identity.backend, cluster: identity.clusterName,
      node: NodeRepresentation(id: identity.nodeID, url: identity.apiURL, role: status.role.rawValue),
      role: status.role.rawValue, detail: detail,
      leader: status.leader.map { LeaderRepresentation(id: $0.nodeID, url: $0.apiURL, since: $0.electedAt) },
      members: members.map {
        MemberRepresentation(
          id: $0.nodeID, url: $0.apiURL, role: $0.role.rawValue, leaseTtlLeft: $0.leaseSecondsLeft,
          lastHeartbeat: $0.heartbeatAt, startedAt: $0.startedAt)
      })
  }
}
