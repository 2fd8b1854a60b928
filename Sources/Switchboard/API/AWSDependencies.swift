import AWS
import Configuration
import FailoverCore

/// The AWS services a configuration calls while it serves, so readiness checks those and no others: a
/// configuration that needs no AWS is ready without AWS credentials.
public struct AWSDependencies: Sendable, Hashable {
  /// Some service's records live in Route53, or some signal reads a Route53 health check.
  public var route53: Bool
  /// Some signal reads a CloudWatch alarm.
  public var cloudWatch: Bool

  public init(route53: Bool, cloudWatch: Bool) {
    self.route53 = route53
    self.cloudWatch = cloudWatch
  }

  /// What `config` uses: its services' DNS and its polled signals (region-wide ones included).
  public init(config: SwitchboardConfig) {
    let signals = HealthModel.allSignals(services: config.services, regions: config.regions).map(\.spec)
    route53 =
      config.services.contains { config.dnsProvider(for: $0.id) == .route53 }
      || signals.contains { if case .route53HealthCheck = $0 { true } else { false } }
    cloudWatch = signals.contains { if case .cloudWatchAlarm = $0 { true } else { false } }
  }

  /// Nothing calls AWS.
  public var isEmpty: Bool { !route53 && !cloudWatch }

  /// Whether workflows publish their metrics to CloudWatch: when something else uses AWS, or the file has an
  /// `aws` section of its own (a region, endpoint, profile or SNS topic), e.g. for built-in DNS with CloudWatch.
  public static func publishesMetrics(_ config: SwitchboardConfig) -> Bool {
    let aws = config.aws
    return !AWSDependencies(config: config).isEmpty || aws.region != nil || aws.endpointURL != nil
      || aws.profile != nil || aws.snsTopicARN != nil
  }
}

extension ReadinessChecks.Dependency {
  /// One check per AWS service `config` uses, each a single cheap call with the process's credentials: Route53
  /// lists one hosted zone, CloudWatch describes one configured alarm.
  public static func aws(config: SwitchboardConfig, clients: AWSClients) -> [ReadinessChecks.Dependency] {
    let uses = AWSDependencies(config: config)
    var dependencies: [ReadinessChecks.Dependency] = []
    if uses.route53 {
      let route53 = clients.route53
      dependencies.append(
        .init(name: "route53", title: "Route53") { _ = try await route53.listHostedZonesByName(maxItems: 1) })
    }
    let alarmNames = HealthModel.allSignals(services: config.services, regions: config.regions).compactMap {
      if case .cloudWatchAlarm(let alarm) = $0.spec { alarm.alarmName } else { nil }
    }
    if uses.cloudWatch, let alarm = alarmNames.min() {
      let cloudWatch = clients.cloudWatch
      dependencies.append(
        .init(name: "cloudwatch", title: "CloudWatch") {
          _ = try await cloudWatch.alarmStates(names: [alarm])
        })
    }
    return dependencies
  }
}
