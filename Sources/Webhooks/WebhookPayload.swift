import FailoverCore
import Foundation

/// The JSON a webhook receives: a Slack-compatible `text` line plus the notification's structured fields.
public struct WebhookPayload: Sendable, Hashable, Codable {
  /// One human line (what Slack and compatible chat tools show).
  public var text: String
  /// `initiated`, `blocked`, `succeeded` or `failed`.
  public var kind: String
  /// The service concerned.
  public var service: String
  /// Where traffic was, if known.
  public var fromRegion: String?
  /// Where traffic goes, if known.
  public var toRegion: String?
  /// Why, in a sentence.
  public var reason: String
  /// Measured seconds since the first unhealthy observation, by instant.
  public var timings: [String: Double]
  /// When the notification was made (RFC 3339).
  public var at: Date

  enum CodingKeys: String, CodingKey {
    case text, kind, service
    case fromRegion = "from_region"
    case toRegion = "to_region"
    case reason, timings, at
  }

  /// The payload of a notification.
  public init(_ notification: FailoverNotification) {
    text = "\(notification.subject). \(notification.reason)"
    kind = notification.kind.rawValue
    service = notification.service
    fromRegion = notification.fromRegion
    toRegion = notification.toRegion
    reason = notification.reason
    timings = notification.timings
    at = notification.at
  }

  /// The JSON body (sorted keys, RFC 3339 dates).
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return try encoder.encode(self)
  }

  /// Reads a body back (tests, receivers written in Swift).
  public static func decode(_ data: Data) throws -> WebhookPayload {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(WebhookPayload.self, from: data)
  }
}
