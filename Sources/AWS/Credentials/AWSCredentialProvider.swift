import Foundation

/// Supplies credentials for signing; called before every attempt, so it may cache and refresh.
public protocol AWSCredentialProvider: Sendable {
  /// Current credentials, or `AWSError.credentialsUnavailable` saying why not (never with a secret in it).
  func credentials() async throws -> AWSCredentials
}

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

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
  private let environment: [String: String]

  /// Reads this environment (the process's by default).
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// The credentials, or why there are none.
  public func credentials() async throws -> AWSCredentials {
    guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
      let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
    else {
      throw AWSError.credentialsUnavailable("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
    }
    let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
  }
}

/// The profile (`AWS_PROFILE` or `default`) of the shared `credentials` file, then of the `config` file.
public struct ProfileCredentialProvider: AWSCredentialProvider {
  private let location: SharedConfigLocation

  /// Reads the files this location points to.
  public init(location: SharedConfigLocation = .process) {
    self.location = location
  }

  /// The credentials, or why there are none.
  public func credentials() async throws -> AWSCredentials {
    let profile = location.profileName
    let candidates = [
      location.loadCredentialsFile().credentialsProfile(profile),
      location.loadConfigFile().configProfile(profile),
    ]
    for keys in candidates.compactMap({ $0 }) {
      if let key = keys["aws_access_key_id"], !key.isEmpty, let secret = keys["aws_secret_access_key"],
        !secret.isEmpty
      {
        let token = keys["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
      }
    }
    throw AWSError.credentialsUnavailable(
      "profile \"\(profile)\" has no aws_access_key_id/aws_secret_access_key in \(location.credentialsPath) "
        + "or \(location.configPath)")
  }
}
