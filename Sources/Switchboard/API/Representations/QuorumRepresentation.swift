import FailoverCore
import Foundation

/// In a cluster, every live node's view of a service in a region and the quorum that judged it.
public struct QuorumRepresentation: Sendable, Hashable, Encodable {
  /// One node's view.
  public struct View: Sendable, Hashable, Encodable {
    public var node: String
    public var status: String
    @Nullable public var since: Date?
    public var reason: String
  }

  /// Live nodes (with published views), this one included.
  public var live: Int
  /// How many of them see the region failing.
  public var failing: Int
  /// How many failing views make the region unhealthy.
  public var required: Int
  /// Each live node's view, this node's first.
  public var views: [View]

  public init(_ quorum: QuorumHealth) {
    live = quorum.live
    failing = quorum.failing
    required = quorum.required
    views = quorum.views.map {
      View(node: $0.node, status: $0.status.rawValue, since: $0.since, reason: $0.reason)
    }
  }
}
