import Foundation

/// A region's health judged from every live node's view (quorum health, as Route53 judges from checkers around the
/// world): the region is unhealthy only when at least `required` of the live nodes see it failing, so one node whose
/// own network is broken cannot move traffic. Pure: the views and the quorum come in, the verdict goes out.
public struct QuorumHealth: Sendable, Hashable, Codable {
  /// Every live node's view, this node's first, then the others by node id.
  public var views: [NodeHealthView]
  /// How many of the views see the region failing (unhealthy).
  public var failing: Int
  /// How many failing views the quorum needs among the live nodes.
  public var required: Int
  /// The combined verdict, its reason naming each node's view.
  public var health: Health
  /// The views as the sentence shows them (reasons and times of healthy and degraded views left out), and that
  /// sentence: the next evaluation reuses it while they are unchanged (the common case, every tick).
  var shown: [NodeHealthView] = []
  var said = ""

  /// How many nodes are live (have published their views), this one included.
  public var live: Int { views.count }

  public init(views: [NodeHealthView], failing: Int, required: Int, health: Health) {
    self.views = views
    self.failing = failing
    self.required = required
    self.health = health
  }

  /// Combines this node's own verdict with the other live nodes' views of the same service in `region`.
  ///
  /// - Enough failing views (`required(live)`, at least 1 and at most `live`): unhealthy, since the earliest
  ///   failing view's `since`.
  /// - Some failing views, but fewer: degraded (which moves no traffic on its own), saying the quorum is not met.
  /// - No failing view: this node's own verdict; when it has none yet (just started), the others' known verdicts
  ///   (healthy when they all say so, else degraded); unknown when no node knows.
  ///
  /// A live node without a verdict counts as live and not failing: a node that just started slows a verdict
  /// down, never hastens one.
  /// `previous`, this region's last result, saves rebuilding the sentence when the views it shows are unchanged.
  public static func combine(
    own: Health, node: String, region: RegionID, peers: [NodeHealthView], required: (Int) -> Int,
    previous: QuorumHealth? = nil
  ) -> QuorumHealth {
    let mine = NodeHealthView(node: node, status: own.status, since: own.since, reason: own.reason)
    let views = [mine] + peers.sorted { $0.node < $1.node }
    let failing = views.filter { $0.status == .unhealthy }
    let needed = max(1, min(required(views.count), views.count))
    let shown = views.map { view in
      view.status == .unhealthy || view.status == .unknown
        ? view : NodeHealthView(node: view.node, status: view.status, reason: "")
    }
    let said =
      previous.flatMap { $0.shown == shown ? $0.said : nil } ?? describe(views, region: region, node: node)
    var health: Health
    if failing.count >= needed {
      health = Health(
        status: .unhealthy, decidedBy: own.status == .unhealthy ? own.decidedBy : nil,
        reason: "\(failing.count) of \(views.count) nodes see it failing, quorum \(needed): \(said)",
        since: failing.compactMap(\.since).min())
    } else if !failing.isEmpty {
      health = Health(
        status: .degraded, decidedBy: nil,
        reason:
          "\(failing.count) of \(views.count) nodes see it failing, below the quorum of \(needed), so it is not "
          + "judged unhealthy: \(said)")
    } else if own.status != .unknown {
      health = own
      if !peers.isEmpty { health.reason = "\(own.reason); \(said)" }
    } else {
      let known = peers.filter { $0.status != .unknown }
      if known.isEmpty {
        health = Health(status: .unknown, reason: "No node has a verdict yet: \(said)")
      } else {
        let status: HealthStatus = known.allSatisfy { $0.status == .healthy } ? .healthy : .degraded
        health = Health(
          status: status, reason: "This node has no verdict yet; the others' say \(status.rawValue): \(said)")
      }
    }
    var result = QuorumHealth(views: views, failing: failing.count, required: needed, health: health)
    result.shown = shown
    result.said = said
    return result
  }

  /// Judges every region of a service: this node's own verdicts (`own`) combined with the peers' views.
  public static func judge(
    _ service: ServiceID, own: [RegionID: Health], peers: any PeerHealthViews, required: (Int) -> Int,
    at now: Date, previous: [RegionID: QuorumHealth] = [:]
  ) -> [RegionID: QuorumHealth] {
    var result: [RegionID: QuorumHealth] = [:]
    for (region, health) in own {
      result[region] = combine(
        own: health, node: peers.nodeID, region: region,
        peers: peers.views(service: service, region: region, at: now), required: required,
        previous: previous[region])
    }
    return result
  }

  /// "A (this node) sees eu-west-1 failing since T (reason); B and C see it healthy."
  static func describe(_ views: [NodeHealthView], region: RegionID, node: String) -> String {
    var groups: [(status: HealthStatus, views: [NodeHealthView])] = []
    for view in views {
      if let index = groups.firstIndex(where: { $0.status == view.status }) {
        groups[index].views.append(view)
      } else {
        groups.append((view.status, [view]))
      }
    }
    let sentences = groups.enumerated().map { index, group -> String in
      let names = list(group.views.map { $0.node == node ? "\($0.node) (this node)" : $0.node })
      let one = group.views.count == 1
      let subject = index == 0 ? "\(region)" : "it"
      let details = group.views.map { view in
        let since = view.since.map { " since \($0.formatted(.iso8601))" } ?? ""
        let shown = group.status == .unhealthy ? since : ""
        return one ? "\(shown) (\(view.reason))" : "\(view.node)\(shown): \(view.reason)"
      }
      let said = one ? details[0] : " (\(details.joined(separator: "; ")))"
      switch group.status {
      case .unhealthy:
        return "\(names) \(one ? "sees" : "see") \(subject) failing\(said)"
      case .unknown:
        return "\(names) \(one ? "has" : "have") no verdict on \(subject) yet\(said)"
      case .healthy, .degraded:
        return "\(names) \(one ? "sees" : "see") \(subject) \(group.status.rawValue)"
      }
    }
    return sentences.joined(separator: "; ") + "."
  }

  /// "A", "A and B", "A, B and C".
  static func list(_ names: [String]) -> String {
    guard names.count > 1 else { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
  }
}
