import Configuration
import Foundation
import HTTPServer

/// Where Route53's health checkers reach Switchboard's routing endpoint (`/routing/{service}/{region}`), for
/// services in `failover-health-check` mode.
public struct RoutingEndpoint: Sendable, Hashable {
  /// `http` or `https`.
  public var scheme: String
  /// A host name or an IP address (without brackets).
  public var host: String
  /// The TCP port.
  public var port: Int

  /// An endpoint from its parts.
  public init(scheme: String, host: String, port: Int) {
    self.scheme = scheme
    self.host = host
    self.port = port
  }

  /// The environment variable that gives the public base URL when `--public-url` is not passed.
  public static let environmentVariable = "SWITCHBOARD_PUBLIC_URL"

  /// Parses an explicit base URL such as `https://switchboard.example.com:8443`.
  public init(parsing text: String) throws(ProvisioningError) {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
    else {
      throw ProvisioningError(
        "The public URL \"\(text)\" must be an http or https URL with a host, e.g. https://switchboard.example.com:8443."
      )
    }
    let path = components.path
    guard path.isEmpty || path == "/", components.query == nil else {
      throw ProvisioningError(
        "The public URL \"\(text)\" must not have a path or query; the routing endpoint is always /routing/…."
      )
    }
    self.init(
      scheme: scheme, host: Self.unbracketed(host), port: components.port ?? (scheme == "https" ? 443 : 80))
  }

  /// The explicit URL if given, else derived from the HTTPS listener (preferred) or the HTTP listener.
  /// A wildcard listen address (0.0.0.0, ::) says nothing about where Switchboard is reachable: an error.
  public static func resolve(explicit: String?, config: SwitchboardConfig) throws(ProvisioningError)
    -> RoutingEndpoint
  {
    if let explicit, !explicit.isEmpty { return try RoutingEndpoint(parsing: explicit) }
    let (scheme, address, key) =
      config.tls.map { ("https", $0.listen, "tls.listen") } ?? ("http", config.listen, "listen")
    let host = unbracketed(address.host)
    if ["0.0.0.0", "::", "", "*"].contains(host) {
      throw ProvisioningError(
        "Route53 health checks of failover-health-check services must reach Switchboard's routing endpoint, "
          + "but `\(key)` is the wildcard address \(address); pass --public-url https://HOST:PORT "
          + "(or set \(environmentVariable)) with the address Route53 can reach.")
    }
    return RoutingEndpoint(scheme: scheme, host: host, port: address.port)
  }

  /// The base URL, for messages.
  public var url: String {
    let shown = host.contains(":") ? "[\(host)]" : host
    return "\(scheme)://\(shown):\(port)"
  }

  private static func unbracketed(_ host: String) -> String {
    host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
  }
}
