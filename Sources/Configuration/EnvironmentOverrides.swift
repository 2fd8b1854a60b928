import Crypto
import Foundation

/// Secrets that environment variables supply or replace, so they need not be written in the file.
///
/// - `SWITCHBOARD_ADMIN_TOKEN`: an admin token named `admin` (its SHA-256 replaces any `admin` token in the file).
/// - `SWITCHBOARD_OPERATOR_TOKEN`, `SWITCHBOARD_VIEWER_TOKEN`: the same for `operator` and `viewer`.
/// - `SWITCHBOARD_WEBHOOK_URL`: the notification webhook (its URL often embeds a secret).
/// - `SWITCHBOARD_SNS_TOPIC_ARN`: the SNS topic.
/// - `SWITCHBOARD_ETCD_PASSWORD`: the etcd user's password (`storage.password`).
/// - `SWITCHBOARD_TSIG_SECRET` (or the variable `dns.rfc2136.tsig.secret_env` names): the RFC 2136 TSIG secret.
/// - `AWS_REGION` / `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`, `AWS_PROFILE`: used when the file leaves them out.
/// AWS credentials are never read from the file: the AWS module takes them from the standard variables.
public enum EnvironmentOverrides {
  /// The variables that carry API tokens, by role.
  public static let tokenVariables: [(variable: String, role: TokenRole)] = [
    ("SWITCHBOARD_ADMIN_TOKEN", .admin), ("SWITCHBOARD_OPERATOR_TOKEN", .operator),
    ("SWITCHBOARD_VIEWER_TOKEN", .viewer),
  ]

  /// The configuration with the environment's secrets applied.
  public static func apply(_ environment: [String: String], to config: SwitchboardConfig) -> SwitchboardConfig
  {
    var config = config
    for (variable, role) in tokenVariables {
      guard let token = environment[variable], !token.isEmpty else { continue }
      let name = role.rawValue
      config.tokens.removeAll { $0.name == name }
      config.tokens.append(AuthToken(name: name, role: role, sha256: sha256Hex(token)))
    }
    if let url = environment["SWITCHBOARD_WEBHOOK_URL"], !url.isEmpty {
      config.notifications.webhookURL = url
    }
    if let arn = environment["SWITCHBOARD_SNS_TOPIC_ARN"], !arn.isEmpty { config.aws.snsTopicARN = arn }
    if config.aws.region == nil {
      config.aws.region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
    }
    if config.aws.endpointURL == nil { config.aws.endpointURL = environment["AWS_ENDPOINT_URL"] }
    if config.aws.profile == nil { config.aws.profile = environment["AWS_PROFILE"] }
    if let password = environment["SWITCHBOARD_ETCD_PASSWORD"], !password.isEmpty {
      config.etcd?.password = password
    }
    let tsigVariable = config.dns.rfc2136?.secretVariable ?? "SWITCHBOARD_TSIG_SECRET"
    if let secret = environment[tsigVariable], !secret.isEmpty { config.dns.rfc2136?.secret = secret }
    return config
  }

  /// Lowercase hex SHA-256 of a token, as stored in `auth.tokens[].sha256`.
  public static func sha256Hex(_ token: String) -> String {
    SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}
