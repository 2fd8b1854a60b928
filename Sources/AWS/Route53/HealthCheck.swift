import Foundation

/// What a Route53 health check probes and how (the fields Switchboard manages).
public struct HealthCheckConfig: Sendable, Hashable, Codable {
  /// `HTTP`, `HTTPS`, `HTTP_STR_MATCH`, `HTTPS_STR_MATCH` or `TCP`.
  public var type: String
  /// The host name probed (and sent as Host / SNI).
  public var fullyQualifiedDomainName: String?
  /// The IP address probed instead of resolving the name.
  public var ipAddress: String?
  /// The port probed (default 80 or 443 by type).
  public var port: Int?
  /// The path requested by HTTP(S) checks.
  public var resourcePath: String?
  /// Text the first 5,120 bytes must contain (`*_STR_MATCH` types).
  public var searchString: String?
  /// Seconds between checks: 10 or 30.
  public var requestInterval: Int
  /// Consecutive results needed to change status: 1-10.
  public var failureThreshold: Int
  /// Report healthy when the probe fails, and the other way round.
  public var inverted: Bool
  /// Stop probing and report healthy.
  public var disabled: Bool
  /// Send the host name in the TLS handshake (HTTPS types).
  public var enableSNI: Bool?

  /// Configuration or update values; see the fields.
  public init(
    type: String, fullyQualifiedDomainName: String? = nil, ipAddress: String? = nil, port: Int? = nil,
    resourcePath: String? = nil, searchString: String? = nil, requestInterval: Int = 30,
    failureThreshold: Int = 3, inverted: Bool = false, disabled: Bool = false, enableSNI: Bool? = nil
  ) {
    self.type = type
    self.fullyQualifiedDomainName = fullyQualifiedDomainName
    self.ipAddress = ipAddress
    self.port = port
    self.resourcePath = resourcePath
    self.searchString = searchString
    self.requestInterval = requestInterval
    self.failureThreshold = failureThreshold
    self.inverted = inverted
    self.disabled = disabled
    self.enableSNI = enableSNI
  }
}

/// A health check as Route53 holds it.
public struct HealthCheck: Sendable, Hashable {
  /// The health check's id.
  public var id: String
  /// The unique string given at creation (retry-safe creates).
  public var callerReference: String
  /// Incremented by every update (optimistic locking).
  public var version: Int
  /// What it probes and how.
  public var config: HealthCheckConfig
}

/// The fields UpdateHealthCheck changes; nil leaves a field as it is.
public struct HealthCheckUpdate: Sendable, Hashable {
  /// The host name probed (and sent as Host / SNI).
  public var fullyQualifiedDomainName: String?
  /// The IP address probed instead of resolving the name.
  public var ipAddress: String?
  /// The port probed (default 80 or 443 by type).
  public var port: Int?
  /// The path requested by HTTP(S) checks.
  public var resourcePath: String?
  /// Text the first 5,120 bytes must contain (`*_STR_MATCH` types).
  public var searchString: String?
  /// New consecutive-result threshold (1-10).
  public var failureThreshold: Int?
  /// New inversion setting.
  public var inverted: Bool?
  /// New disabled setting.
  public var disabled: Bool?
  /// Send the host name in the TLS handshake (HTTPS types).
  public var enableSNI: Bool?
  /// Optimistic locking: the version read before updating.
  public var expectedVersion: Int?

  /// Configuration or update values; see the fields.
  public init(
    fullyQualifiedDomainName: String? = nil, ipAddress: String? = nil, port: Int? = nil,
    resourcePath: String? = nil, searchString: String? = nil, failureThreshold: Int? = nil,
    inverted: Bool? = nil, disabled: Bool? = nil, enableSNI: Bool? = nil, expectedVersion: Int? = nil
  ) {
    self.fullyQualifiedDomainName = fullyQualifiedDomainName
    self.ipAddress = ipAddress
    self.port = port
    self.resourcePath = resourcePath
    self.searchString = searchString
    self.failureThreshold = failureThreshold
    self.inverted = inverted
    self.disabled = disabled
    self.enableSNI = enableSNI
    self.expectedVersion = expectedVersion
  }
}
