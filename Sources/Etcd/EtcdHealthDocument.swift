import FailoverCore
import Foundation

/// What one node publishes at `P health/<node-id>` (quorum health): its own verdict per service and region, each
/// with when it last changed, and when the document was last written (the heartbeat).
public struct EtcdHealthDocument: Sendable, Hashable, Codable {
  /// One verdict.
  public struct Verdict: Sendable, Hashable, Codable {
    /// The service.
    public var service: String
    /// The region.
    public var region: String
    /// The node's own status for them.
    public var status: HealthStatus
    /// Since when, when known.
    public var since: Date?
    /// Why, as the node said it when the status last changed; omitted for `healthy` (nobody quotes it, and it
    /// keeps a thousand verdicts' document small).
    public var reason: String?
  }

  /// The publishing node.
  public var nodeID: String
  /// When the node last wrote the document (on a change or as a heartbeat), by its own clock.
  public var heartbeatAt: Date
  /// Every verdict, sorted by service then region.
  public var verdicts: [Verdict]

  enum CodingKeys: String, CodingKey {
    case nodeID = "node_id"
    case heartbeatAt = "heartbeat_at"
    case verdicts
  }

  /// The document's bytes.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = .sortedKeys
    return try encoder.encode(self)
  }

  /// A document from its bytes.
  public static func decode(_ data: Data) throws -> EtcdHealthDocument {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(EtcdHealthDocument.self, from: data)
  }
}
