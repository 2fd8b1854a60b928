import Foundation

/// One node's own verdict on a service in a region, as it published it (quorum health).
public struct NodeHealthView: Sendable, Hashable, Codable {
  /// The node's id (by default its API address, `HOST:PORT`).
  public var node: String
  /// What the node's own probes and signals say.
  public var status: HealthStatus
  /// Since when the node has said so, when known.
  public var since: Date?
  /// The node's reason, in words.
  public var reason: String

  public init(node: String, status: HealthStatus, since: Date? = nil, reason: String) {
    self.node = node
    self.status = status
    self.since = since
    self.reason = reason
  }
}

/// The other live nodes of a cluster and their verdicts: what lets the leader judge a region from several vantage
/// points. Nil in `EnginePorts` means a single node, whose own verdict is the verdict.
///
/// Both calls are cheap and synchronous (the adapter publishes and polls in the background), so the tick can call
/// them for every service.
public protocol PeerHealthViews: Sendable {
  /// This node's id, as the other nodes see it.
  var nodeID: String { get }
  /// Hands over this node's own verdicts for one service after an evaluation; the adapter publishes changes of
  /// status (not every observation) plus a periodic heartbeat.
  func publish(service: ServiceID, _ health: [RegionID: Health], at now: Date)
  /// The other live nodes' views of a service in a region, one per live node (sorted by node id): a live node
  /// without a verdict there yet is listed as `unknown`.
  func views(service: ServiceID, region: RegionID, at now: Date) -> [NodeHealthView]
}
