import Foundation

/// Supplies credentials for signing; called before every attempt, so it may cache and refresh.
public protocol AWSCredentialProvider: Sendable {
  /// Current credentials, or `AWSError.credentialsUnavailable` saying why not (never with a secret in it).
  func credentials() async throws -> AWSCredentials
}
