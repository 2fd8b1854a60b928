/// Why a webhook did not take a notification, as a sentence; it names only the webhook's scheme and host, since
/// webhook URLs often carry a secret in their path or query.
public struct WebhookError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The sentence.
  public var message: String
  /// The HTTP status the webhook answered, when it answered.
  public var status: Int?

  /// An error with its sentence and, if the webhook answered, its status.
  public init(_ message: String, status: Int? = nil) {
    self.message = message
    self.status = status
  }

  public var description: String { message }
}
