import AWS
import FailoverCore
import Foundation

/// Route53 health-check settings from what the configuration says (the seed recipe's step 6).
public enum HealthCheckMapping {
  /// Route53 probes every 10 or 30 seconds, nothing else: probes configured faster than 30 s get 10.
  public static func requestInterval(_ seconds: Double) -> Int { seconds < 30 ? 10 : 30 }

  /// A health check probing what an `http` signal probes: type from the scheme (`*_STR_MATCH` with a search
  /// string), host or IP address, port, path and query, interval (10 or 30) and failure threshold.
  public static func config(for probe: HTTPProbeSpec) throws(ProvisioningError) -> HealthCheckConfig {
    guard let components = URLComponents(string: probe.url), let scheme = components.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
    else {
      throw ProvisioningError("The probe URL \(probe.url) is not an http or https URL with a host.")
    }
    var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    if let query = components.percentEncodedQuery { path += "?" + query }
    return config(
      scheme: scheme, host: host, port: components.port, resourcePath: path, searchString: probe.bodyMatch,
      requestInterval: requestInterval(probe.interval), failureThreshold: probe.failureThreshold)
  }

  /// The failure threshold of health checks that probe Switchboard's routing endpoint: two answers of 503
  /// in a row (about 20 s at the 10 s interval) take a region out; Switchboard has already applied its own
  /// hysteresis before answering 503.
  public static let routingEndpointFailureThreshold = 2

  /// A health check probing Switchboard's routing endpoint `/routing/{service}/{region}` every 10 s.
  public static func config(routingEndpoint endpoint: RoutingEndpoint, service: ServiceID, region: RegionID)
    -> HealthCheckConfig
  {
    let path = "/routing/\(pathSegment(service.rawValue))/\(pathSegment(region.rawValue))"
    return config(
      scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, resourcePath: path,
      searchString: nil,
      requestInterval: 10, failureThreshold: routingEndpointFailureThreshold)
  }

  static func config(
    scheme: String, host: String, port: Int?, resourcePath: String, searchString: String?,
    requestInterval: Int, failureThreshold: Int
  ) -> HealthCheckConfig {
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    let secure = scheme == "https"
    let type = (secure ? "HTTPS" : "HTTP") + (searchString == nil ? "" : "_STR_MATCH")
    let isAddress = isIPAddress(bare)
    return HealthCheckConfig(
      type: type, fullyQualifiedDomainName: isAddress ? nil : bare, ipAddress: isAddress ? bare : nil,
      port: port ?? (secure ? 443 : 80), resourcePath: resourcePath, searchString: searchString,
      requestInterval: requestInterval, failureThreshold: failureThreshold,
      // Said explicitly: AWS defaults to SNI on for HTTPS, moto to off; a name-based HTTPS host needs it.
      enableSNI: secure && !isAddress ? true : nil)
  }

  /// True for an IPv4 or IPv6 literal (Route53 takes those as `IPAddress`, names as the domain name).
  static func isIPAddress(_ host: String) -> Bool {
    if host.contains(":") { return true }
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { part in Int(part).map { (0...255).contains($0) } ?? false }
  }

  private static func pathSegment(_ text: String) -> String {
    text.addingPercentEncoding(
      withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
      ?? text
  }
}
