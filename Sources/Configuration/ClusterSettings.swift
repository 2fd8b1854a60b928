import Foundation

/// How many live nodes must see a region failing before the leader judges it unhealthy (`cluster.health_quorum`).
public enum HealthQuorum: Sendable, Hashable {
  /// More than half of the live nodes (the default): one node whose own network is broken cannot fail over.
  case majority
  /// At least this many live nodes (capped at the number of live nodes).
  case count(Int)

  /// The number of failing views needed among `liveNodes` live nodes (at least 1).
  public func required(liveNodes: Int) -> Int {
    switch self {
    case .majority: return max(1, liveNodes / 2 + 1)
    case .count(let count): return max(1, min(count, liveNodes))
    }
  }
}

/// The cluster a node belongs to (`cluster:`): its name (the etcd prefix and the CloudWatch heartbeat's dimension),
/// the leader lease, the health quorum and the heartbeat's period. A single node on SQLite uses the name and the
/// heartbeat only.
public struct ClusterSettings: Sendable, Hashable {
  /// The cluster's name: letters, digits, `-` and `_`. Default `switchboard`.
  public var name: String
  /// The leader lease's time to live, in seconds (2 s to 120 s). Default 10 s.
  public var leaseTTL: TimeInterval
  /// How many live nodes must see a region failing. Default a majority.
  public var healthQuorum: HealthQuorum
  /// How often the leader (or the single node) publishes its CloudWatch heartbeat, in seconds. Default 60 s.
  public var heartbeatInterval: TimeInterval

  public init(
    name: String = "switchboard", leaseTTL: TimeInterval = 10, healthQuorum: HealthQuorum = .majority,
    heartbeatInterval: TimeInterval = 60
  ) {
    self.name = name
    self.leaseTTL = leaseTTL
    self.healthQuorum = healthQuorum
    self.heartbeatInterval = heartbeatInterval
  }
}

extension ConfigDecoder {
  /// The `cluster:` section.
  func decodeCluster(_ cluster: MappingReader) -> ClusterSettings {
    cluster.allowKeys(["name", "lease_ttl", "health_quorum", "heartbeat_interval"])
    var result = ClusterSettings()
    if let name = cluster.string("name") {
      let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
      if name.count <= 64, name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) {
        result.name = name
      } else {
        problems.add(
          cluster.value("name")?.mark,
          "`cluster.name` must be 1 to 64 ASCII letters, digits, `-` or `_`, not \"\(name)\".")
      }
    }
    if let ttl = cluster.duration("lease_ttl", in: 2...120) { result.leaseTTL = ttl }
    if let value = cluster.value("health_quorum") {
      if value.string == "majority" {
        result.healthQuorum = .majority
      } else if let count = value.int, (1...100).contains(count) {
        result.healthQuorum = .count(count)
      } else {
        problems.add(
          value.mark, "`cluster.health_quorum` must be `majority` or a whole number of nodes from 1 to 100.")
      }
    }
    if let interval = cluster.duration("heartbeat_interval", in: 10...3600) {
      result.heartbeatInterval = interval
    }
    return result
  }
}
