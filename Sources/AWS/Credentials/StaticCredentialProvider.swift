import Foundation

/// Credentials given explicitly (configuration or tests).
public struct StaticCredentialProvider: AWSCredentialProvider {
  private let value: AWSCredentials

  /// Always supplies these credentials.
  public init(_ credentials: AWSCredentials) {
    value = credentials
  }

  /// The given credentials.
  public func credentials() async throws -> AWSCredentials { value }
}
