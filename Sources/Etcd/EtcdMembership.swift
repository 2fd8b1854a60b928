import FailoverCore
import Foundation

/// The JSON kept at `P leader`: who leads, where its API answers, the lease the key is attached to, and since when.
struct EtcdLeaderRecord: Codable, Sendable, Hashable {
  var nodeID: String
  var apiURL: String
  var lease: Int64
  var electedAt: Date

  enum CodingKeys: String, CodingKey {
    case nodeID = "node_id"
    case apiURL = "api_url"
    case lease
    case electedAt = "elected_at"
  }

  var leader: LeaderRecord { LeaderRecord(nodeID: nodeID, apiURL: apiURL, electedAt: electedAt) }
}

/// The JSON kept at `P members/<node-id>` under the node's lease, rewritten at each heartbeat.
struct EtcdMemberRecord: Codable, Sendable, Hashable {
  var nodeID: String
  var apiURL: String
  var role: ClusterRole
  var startedAt: Date
  var heartbeatAt: Date

  enum CodingKeys: String, CodingKey {
    case nodeID = "node_id"
    case apiURL = "api_url"
    case role
    case startedAt = "started_at"
    case heartbeatAt = "heartbeat_at"
  }
}

/// Encoding of the election's keys (ISO 8601 dates with fractional seconds).
enum EtcdMembershipCoding {
  static func encode(_ value: some Encodable) -> Data {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
    }
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(value)) ?? Data("{}".utf8)
  }

  static func decode<T: Decodable>(_ type: T.Type, _ data: Data) -> T? {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      if let date = try? Date(
        text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
      {
        return date
      }
      return try Date(text, strategy: .iso8601)
    }
    return try? decoder.decode(type, from: data)
  }
}

/// The cluster's members as their keys under `P members/` say, with each lease's time left.
public struct EtcdMembership: Sendable {
  /// The client of the cluster's etcd.
  public let client: EtcdClient
  /// `P members/`.
  public let prefix: String

  /// The members under `prefix` (`P members/`).
  public init(client: EtcdClient, prefix: String) {
    self.client = client
    self.prefix = prefix
  }

  /// Every member key, with its lease's time left (one `timetolive` call per member).
  public func members() async throws(EtcdError) -> [ClusterMember] {
    var result: [ClusterMember] = []
    for kv in try await client.range(prefix, prefix: true).kvs {
      guard let record = EtcdMembershipCoding.decode(EtcdMemberRecord.self, kv.value) else { continue }
      let left = kv.lease == 0 ? nil : try? await client.timeToLive(kv.lease)
      result.append(
        ClusterMember(
          nodeID: record.nodeID, apiURL: record.apiURL, role: record.role, startedAt: record.startedAt,
          heartbeatAt: record.heartbeatAt, leaseSecondsLeft: left.map { max(0, $0) }))
    }
    return result
  }

  /// Writes (or refreshes) this node's key under `lease`.
  func heartbeat(_ record: EtcdMemberRecord, lease: Int64) async throws(EtcdError) {
    try await client.put(prefix + record.nodeID, EtcdMembershipCoding.encode(record), lease: lease)
  }
}
