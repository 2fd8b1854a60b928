import FailoverCore
import Foundation

/// The seed recipe's setup in one place: compares Route53 and CloudWatch with a `DesiredState` (plan), creates
/// what is missing or different (bootstrap, idempotent) and removes what bootstrap created (teardown).
public struct Provisioner: Sendable {
  /// The Route53 client plan, bootstrap and teardown use.
  public let route53: Route53Client
  /// The CloudWatch client of the configured region (`aws.region`): alarms on any metric but Route53's.
  public let cloudWatch: CloudWatchClient
  /// The CloudWatch client of us-east-1, where Route53 publishes its health-check metrics (`AWS/Route53`,
  /// `HealthCheckStatus`) whatever the configured region: alarms on them live there.
  public let route53Metrics: CloudWatchClient
  /// How long bootstrap and teardown wait for a record change to reach INSYNC.
  public var changeTimeout: TimeInterval
  /// How often GetChange is polled while waiting for INSYNC.
  public var changePollInterval: TimeInterval

  /// The namespace of Route53's metrics, published only in `route53MetricsRegion`.
  public static let route53MetricsNamespace = "AWS/Route53"
  /// The only region where Route53 publishes its metrics.
  public static let route53MetricsRegion = "us-east-1"

  /// A provisioner over the clients; waits up to `changeTimeout` for INSYNC. `route53Metrics` (a CloudWatch
  /// client for us-east-1) defaults to `cloudWatch`, right when that one is for us-east-1.
  public init(
    route53: Route53Client, cloudWatch: CloudWatchClient, route53Metrics: CloudWatchClient? = nil,
    changeTimeout: TimeInterval = 300, changePollInterval: TimeInterval = 5
  ) {
    self.route53 = route53
    self.cloudWatch = cloudWatch
    self.route53Metrics = route53Metrics ?? cloudWatch
    self.changeTimeout = changeTimeout
    self.changePollInterval = changePollInterval
  }

  // MARK: Plan

  /// Every difference between the services and the desired state; empty means no drift.
  public func plan(_ desired: DesiredState) async throws -> [Drift] {
    try validate(desired)
    let observed = try await observe(desired)
    return assess(desired, observed).drifts
  }

  func validate(_ desired: DesiredState) throws {
    let problems = desired.problems()
    if !problems.isEmpty { throw AWSError.invalidRequest(problems.joined(separator: "; ")) }
  }

  static func placeholder(_ key: String) -> String { "<new \(key)>" }

  static func summary(_ config: HealthCheckConfig) -> String {
    let target = config.fullyQualifiedDomainName ?? config.ipAddress ?? "?"
    return "\(config.type) \(target):\(config.port.map(String.init) ?? "default")\(config.resourcePath ?? "")"
  }
}
