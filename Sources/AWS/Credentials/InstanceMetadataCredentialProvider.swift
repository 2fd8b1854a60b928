import Foundation

/// EC2 instance-profile credentials over IMDSv2 (session token first, then the role's credentials).
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `http://169.254.169.254`;
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off.
public struct InstanceMetadataCredentialProvider: AWSCredentialProvider {
  private let environment: [String: String]
  private let transport: any AWSHTTPTransport
  private let timeout: TimeInterval

  /// Reads this environment; `timeout` bounds each metadata call.
  public init(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    transport: any AWSHTTPTransport = URLSessionTransport(), timeout: TimeInterval = 1
  ) {
    self.environment = environment
    self.transport = transport
    self.timeout = timeout
  }

  /// Fetches the instance role's temporary credentials over IMDSv2.
  public func credentials() async throws -> AWSCredentials {
    if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
      throw AWSError.credentialsUnavailable("instance metadata is disabled (AWS_EC2_METADATA_DISABLED)")
    }
    var base =
      environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "http://169.254.169.254"
    while base.hasSuffix("/") { base.removeLast() }
    let token = try await fetch(
      "PUT", base + "/latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
    let auth = [("X-aws-ec2-metadata-token", String(decoding: token, as: UTF8.self))]
    let roles = try await fetch("GET", base + "/latest/meta-data/iam/security-credentials/", headers: auth)
    guard
      let role = String(decoding: roles, as: UTF8.self).split(whereSeparator: \.isNewline).first
        .map({ String($0).trimmingCharacters(in: .whitespaces) }), !role.isEmpty
    else {
      throw AWSError.credentialsUnavailable("the instance has no IAM role attached")
    }
    let document = try await fetch(
      "GET", base + "/latest/meta-data/iam/security-credentials/" + URIEncoding.encode(role), headers: auth)
    return try TemporaryCredentialsDocument.decode(document, source: "instance metadata")
  }

  private func fetch(_ method: String, _ text: String, headers: [(String, String)]) async throws -> Data {
    guard let url = URL(string: text) else {
      throw AWSError.credentialsUnavailable("the instance metadata endpoint is not a URL")
    }
    let response: AWSHTTPResponse
    do {
      response = try await transport.send(
        method: method, url: url, headers: headers, body: Data(), timeout: timeout,
        service: "instance metadata")
    } catch let error as AWSError {
      throw AWSError.credentialsUnavailable("instance metadata unreachable: \(error.description)")
    }
    guard response.status == 200 else {
      throw AWSError.credentialsUnavailable(
        "instance metadata answered HTTP \(response.status) to \(url.path)")
    }
    return response.body
  }
}
