import FailoverCore
import Foundation

/// Every AWS client Switchboard uses, configured the way the AWS CLI would be: region, endpoints and
/// credentials from the environment and the shared files. The application wires its ports from this.
public struct AWSClients: Sendable {
  /// The region CloudWatch and SNS calls go to.
  public let region: String
  /// The credential chain shared by every client (one cache, one refresh).
  public let credentials: CredentialChain
  /// Route53: zones, records, changes, health checks.
  public let route53: Route53Client
  /// CloudWatch: alarms and metrics.
  public let cloudWatch: CloudWatchClient
  /// CloudWatch in us-east-1, the only region with Route53's health-check metrics (bootstrap's alarms).
  public let route53MetricsCloudWatch: CloudWatchClient
  /// ECS in any region: runbook `ecs_scale` steps.
  public let ecs: ECSClient
  /// RDS in any region: runbook `database_promote` steps.
  public let rds: RDSClient
  private let snsEndpoint: URL
  private let transport: any AWSHTTPTransport
  private let retry: RetryPolicy
  private let observer: (any AWSCallObserver)?

  /// Resolves region, endpoints (`AWS_ENDPOINT_URL...`, config file) and the credential chain.
  ///
  /// `region` and `explicit` credentials, when given, win over the environment; `observer` hears of every
  /// Route53, CloudWatch and SNS operation.
  public init(
    location: SharedConfigLocation = .process, region: String? = nil, explicit: AWSCredentials? = nil,
    retry: RetryPolicy = .standard, transport: any AWSHTTPTransport = URLSessionTransport(),
    observer: (any AWSCallObserver)? = nil
  ) {
    let region = region ?? location.region
    let endpoints = AWSEndpointResolver(location: location)
    let credentials = CredentialChain.standard(explicit: explicit, location: location, transport: transport)
    self.region = region
    self.credentials = credentials
    self.transport = transport
    self.retry = retry
    self.observer = observer
    route53 = Route53Client(
      endpoint: endpoints.url(for: .route53, region: region), credentials: credentials, transport: transport,
      retry: retry, observer: observer)
    cloudWatch = CloudWatchClient(
      endpoint: endpoints.url(for: .cloudWatch, region: region), region: region, credentials: credentials,
      transport: transport, retry: retry, observer: observer)
    let metricsRegion = Provisioner.route53MetricsRegion
    route53MetricsCloudWatch = CloudWatchClient(
      endpoint: endpoints.url(for: .cloudWatch, region: metricsRegion), region: metricsRegion,
      credentials: credentials, transport: transport, retry: retry, observer: observer)
    snsEndpoint = endpoints.url(for: .sns, region: region)
    ecs = ECSClient(
      endpoint: { endpoints.url(for: .ecs, region: $0) }, credentials: credentials, transport: transport,
      retry: retry, observer: observer)
    rds = RDSClient(
      endpoint: { endpoints.url(for: .rds, region: $0) }, credentials: credentials, transport: transport,
      retry: retry, observer: observer)
  }

  /// A notifier publishing to one topic.
  public func notifier(topicARN: String) -> SNSNotifier {
    SNSNotifier(
      endpoint: snsEndpoint, region: region, topicARN: topicARN, credentials: credentials,
      transport: transport,
      retry: retry, observer: observer)
  }

  /// The provisioner behind plan, bootstrap and teardown.
  public func provisioner(changeTimeout: TimeInterval = 300, changePollInterval: TimeInterval = 5)
    -> Provisioner
  {
    Provisioner(
      route53: route53, cloudWatch: cloudWatch, route53Metrics: route53MetricsCloudWatch,
      changeTimeout: changeTimeout,
      changePollInterval: changePollInterval)
  }
}
