import Foundation

/// A REST response remembered under an `Idempotency-Key`, so a retried request gets the same answer.
public struct IdempotencyRecord: Sendable, Hashable {
  /// How long a record is honoured: 24 hours.
  public static let lifetime: TimeInterval = 24 * 60 * 60

  /// The client's `Idempotency-Key`.
  public var key: String
  /// Who sent the request (keys are per actor).
  public var actor: String
  /// The request method.
  public var method: String
  /// The request path.
  public var path: String
  /// A hash of the request body, to refuse the same key with a different request.
  public var requestHash: String
  /// The response status.
  public var status: Int
  /// The response headers to replay.
  public var headers: [String: String]
  /// The response body to replay.
  public var body: Data
  /// When the response was first sent.
  public var createdAt: Date

  public init(
    key: String, actor: String, method: String, path: String, requestHash: String, status: Int,
    headers: [String: String], body: Data, createdAt: Date
  ) {
    self.key = key
    self.actor = actor
    self.method = method
    self.path = path
    self.requestHash = requestHash
    self.status = status
    self.headers = headers
    self.body = body
    self.createdAt = createdAt
  }

  /// Whether the record is still honoured at `now`.
  public func isLive(at now: Date) -> Bool { now.timeIntervalSince(createdAt) < Self.lifetime }
}
