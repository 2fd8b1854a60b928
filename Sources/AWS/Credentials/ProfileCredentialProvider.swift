import Foundation

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
