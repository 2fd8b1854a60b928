import AWS
import Configuration
import Foundation

extension AWSClients {
  /// The clients for a configuration: its `aws` section (region, endpoint, profile) wins over the standard
  /// environment variables, which supply the rest (credentials always come from the environment or profile).
  /// `observer` hears of every AWS operation (metrics).
  public init(
    config: SwitchboardConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
    retry: RetryPolicy = .standard, observer: (any AWSCallObserver)? = nil
  ) {
    var environment = environment
    if let region = config.aws.region { environment["AWS_REGION"] = region }
    if let endpoint = config.aws.endpointURL { environment["AWS_ENDPOINT_URL"] = endpoint }
    if let profile = config.aws.profile { environment["AWS_PROFILE"] = profile }
    self.init(
      location: SharedConfigLocation(environment: environment, homeDirectory: NSHomeDirectory()),
      retry: retry,
      observer: observer)
  }
}
