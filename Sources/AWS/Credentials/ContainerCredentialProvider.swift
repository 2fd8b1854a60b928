import Foundation

/// ECS/EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)` when set.
public struct ContainerCredentialProvider: AWSCredentialProvider {
  private let environment: [String: String]
  private let transport: any AWSHTTPTransport
  private let timeout: TimeInterval

  /// Reads this environment; `timeout` bounds each call to the endpoint.
  public init(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    transport: any AWSHTTPTransport = URLSessionTransport(), timeout: TimeInterval = 2
  ) {
    self.environment = environment
    self.transport = transport
    self.timeout = timeout
  }

  /// Fetches temporary credentials from the container endpoint.
  public func credentials() async throws -> AWSCredentials {
    let urlText: String
    if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
      urlText = "http://169.254.170.2" + relative
    } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
      urlText = full
    } else {
      throw AWSError.credentialsUnavailable("no container credentials endpoint is set")
    }
    guard let url = URL(string: urlText) else {
      throw AWSError.credentialsUnavailable("the container credentials URI is not a URL")
    }
    var headers: [(String, String)] = [("Accept", "application/json")]
    if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw AWSError.credentialsUnavailable("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path)")
      }
      headers.append(
        (
          "Authorization",
          String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        ))
    } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
      headers.append(("Authorization", token))
    }
    let response: AWSHTTPResponse
    do {
      response = try await transport.send(
        method: "GET", url: url, headers: headers, body: Data(), timeout: timeout,
        service: "container credentials")
    } catch let error as AWSError {
      throw AWSError.credentialsUnavailable("container credentials endpoint failed: \(error.description)")
    }
    guard response.status == 200 else {
      throw AWSError.credentialsUnavailable("container credentials endpoint answered HTTP \(response.status)")
    }
    return try TemporaryCredentialsDocument.decode(response.body, source: "container credentials endpoint")
  }
}
