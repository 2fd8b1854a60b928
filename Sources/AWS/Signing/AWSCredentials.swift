import Foundation

/// An AWS access key pair, optionally temporary (session token and expiry).
///
/// `description` never shows the secret or the session token, so credentials can be logged safely.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  /// The access key id (safe to show).
  public var accessKeyID: String
  /// The secret; never printed.
  public var secretAccessKey: String
  /// The session token of temporary credentials; never printed.
  public var sessionToken: String?
  /// When temporary credentials stop working; nil for long-term keys.
  public var expiration: Date?

  /// Credentials from their parts.
  public init(
    accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil
  ) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
  }

  /// The access key id and expiry only: the secret and the token are redacted.
  public var description: String {
    var text = "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
    if sessionToken != nil { text += ", sessionToken: <redacted>" }
    if let expiration { text += ", expiration: \(ISO8601DateFormatter().string(from: expiration))" }
    return text + ")"
  }

  /// Same as `description`: secrets stay out of debug output too.
  public var debugDescription: String { description }
}
