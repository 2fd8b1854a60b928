import Foundation

/// Resolves service endpoints the way the AWS SDKs do, so `AWS_ENDPOINT_URL` and friends work unchanged.
///
/// Order: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section, the profile's
/// `endpoint_url`, then the public AWS endpoint. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` skips overrides.
public struct AWSEndpointResolver: Sendable {
  /// Where the environment and the shared files come from.
  public var location: SharedConfigLocation

  /// A resolver over an environment and home directory (the process's by default).
  public init(location: SharedConfigLocation = .process) {
    self.location = location
  }

  /// The services Switchboard talks to, with their SDK service ids and default endpoints.
  public enum Service: String, Sendable, CaseIterable {
    case route53 = "Route 53"
    case cloudWatch = "CloudWatch"
    case sns = "SNS"
    case ecs = "ECS"
    case rds = "RDS"

    /// The suffix of the service-specific variable (`ROUTE_53`, `CLOUDWATCH`, `SNS`).
    public var environmentSuffix: String {
      rawValue.uppercased().replacingOccurrences(of: " ", with: "_")
    }

    /// The key of the service in a `[services ...]` section (`route_53`, `cloudwatch`, `sns`).
    public var configKey: String {
      rawValue.lowercased().replacingOccurrences(of: " ", with: "_")
    }

    /// The public AWS endpoint in a region.
    public func defaultURL(region: String) -> URL {
      switch self {
      case .route53: URL(string: "https://route53.amazonaws.com")!
      case .cloudWatch: URL(string: "https://monitoring.\(region).amazonaws.com")!
      case .sns: URL(string: "https://sns.\(region).amazonaws.com")!
      case .ecs: URL(string: "https://ecs.\(region).amazonaws.com")!
      case .rds: URL(string: "https://rds.\(region).amazonaws.com")!
      }
    }
  }

  /// The base URL for a service in a region.
  public func url(for service: Service, region: String) -> URL {
    let env = location.environment
    if env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
      if let text = env["AWS_ENDPOINT_URL_\(service.environmentSuffix)"], let url = URL(string: text),
        !text.isEmpty
      {
        return url
      }
      if let text = env["AWS_ENDPOINT_URL"], let url = URL(string: text), !text.isEmpty { return url }
      let config = location.loadConfigFile()
      if let profile = config.configProfile(location.profileName) {
        if profile["ignore_configured_endpoint_urls"]?.lowercased() != "true" {
          if let servicesName = profile["services"],
            let text = config.servicesSection(servicesName)?["\(service.configKey).endpoint_url"],
            let url = URL(string: text)
          {
            return url
          }
          if let text = profile["endpoint_url"], let url = URL(string: text) { return url }
        }
      }
    }
    return service.defaultURL(region: region)
  }
}
