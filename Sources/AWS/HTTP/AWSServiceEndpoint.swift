import Foundation

/// Where and how to reach one AWS service: its URL and the SigV4 scope it expects.
public struct AWSServiceEndpoint: Sendable, Hashable {
  /// Human name used in errors and logs (`Route53`, `CloudWatch`, `SNS`).
  public var serviceName: String
  /// SigV4 signing name (`route53`, `monitoring`, `sns`).
  public var signingName: String
  /// Signing region.
  public var region: String
  /// Base URL (scheme, host, optional port).
  public var url: URL

  /// An endpoint with its SigV4 scope.
  public init(serviceName: String, signingName: String, region: String, url: URL) {
    self.serviceName = serviceName
    self.signingName = signingName
    self.region = region
    self.url = url
  }

  /// The Host header value: host, plus the port when it is not the scheme's default.
  public var hostHeader: String {
    let host = url.host ?? ""
    guard let port = url.port else { return host }
    let scheme = url.scheme?.lowercased()
    if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
    return "\(host):\(port)"
  }
}
