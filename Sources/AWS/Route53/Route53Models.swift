import Foundation

/// A Route53 hosted zone.
public struct HostedZone: Sendable, Hashable {
  /// The bare id (without `/hostedzone/`).
  public var id: String
  /// The domain, without the trailing dot.
  public var name: String
  public var callerReference: String
  public var isPrivate: Bool
  public var recordCount: Int?
}

/// What a Route53 health check probes and how (the fields Switchboard manages).
public struct HealthCheckConfig: Sendable, Hashable, Codable {
  /// `HTTP`, `HTTPS`, `HTTP_STR_MATCH`, `HTTPS_STR_MATCH` or `TCP`.
  public var type: String
  public var fullyQualifiedDomainName: String?
  public var ipAddress: String?
  public var port: Int?
  public var resourcePath: String?
  public var searchString: String?
  /// Seconds between checks: 10 or 30.
  public var requestInterval: Int
  /// Consecutive results needed to change status: 1-10.
  public var failureThreshold: Int
  public var inverted: Bool
  public var disabled: Bool
  public var enableSNI: Bool?

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
  public var id: String
  public var callerReference: String
  public var version: Int
  public var config: HealthCheckConfig
}

/// The fields UpdateHealthCheck changes; nil leaves a field as it is.
public struct HealthCheckUpdate: Sendable, Hashable {
  public var fullyQualifiedDomainName: String?
  public var ipAddress: String?
  public var port: Int?
  public var resourcePath: String?
  public var searchString: String?
  public var failureThreshold: Int?
  public var inverted: Bool?
  public var disabled: Bool?
  public var enableSNI: Bool?
  /// Optimistic locking: the version read before updating.
  public var expectedVersion: Int?

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

/// One Route53 checker's latest report on a health check.
public struct HealthCheckObservation: Sendable, Hashable {
  public var region: String
  public var ipAddress: String
  /// The report text, e.g. `Success: HTTP Status Code 200, OK`.
  public var status: String
  public var checkedAt: Date?

  public init(region: String, ipAddress: String, status: String, checkedAt: Date?) {
    self.region = region
    self.ipAddress = ipAddress
    self.status = status
    self.checkedAt = checkedAt
  }

  /// Route53 reports successes with a `Success` prefix.
  public var isHealthy: Bool { status.hasPrefix("Success") }
}
