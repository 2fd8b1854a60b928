import FailoverCore
import Foundation

/// Tries providers in order and caches what the first one that answers returns, refreshing temporary
/// credentials a few minutes before they expire.
public actor CredentialChain: AWSCredentialProvider {
  private let providers: [(name: String, provider: any AWSCredentialProvider)]
  private let clock: any Clock
  private let refreshMargin: TimeInterval
  private var cached: AWSCredentials?
  private var inFlight: Task<AWSCredentials, Error>?

  /// `refreshMargin`: how long before expiry cached credentials are fetched again.
  public init(
    _ providers: [(name: String, provider: any AWSCredentialProvider)], clock: any Clock = SystemClock(),
    refreshMargin: TimeInterval = 300
  ) {
    self.providers = providers
    self.clock = clock
    self.refreshMargin = refreshMargin
  }

  /// The chain AWS CLI users expect: explicit, environment, shared files (`AWS_PROFILE`), container, IMDSv2.
  public static func standard(
    explicit: AWSCredentials? = nil, location: SharedConfigLocation = .process,
    transport: any AWSHTTPTransport = URLSessionTransport(), clock: any Clock = SystemClock()
  ) -> CredentialChain {
    var providers: [(name: String, provider: any AWSCredentialProvider)] = []
    if let explicit { providers.append(("explicit configuration", StaticCredentialProvider(explicit))) }
    providers.append(("environment", EnvironmentCredentialProvider(environment: location.environment)))
    providers.append(("shared files", ProfileCredentialProvider(location: location)))
    providers.append(
      ("container", ContainerCredentialProvider(environment: location.environment, transport: transport)))
    providers.append(
      (
        "instance metadata",
        InstanceMetadataCredentialProvider(environment: location.environment, transport: transport)
      ))
    return CredentialChain(providers, clock: clock)
  }

  /// Cached credentials while fresh; otherwise the first provider that answers.
  public func credentials() async throws -> AWSCredentials {
    if let cached, !needsRefresh(cached) { return cached }
    // Concurrent callers share one fetch instead of each asking the providers.
    if let inFlight { return try await inFlight.value }
    let fetch = Task { try await self.fetch() }
    inFlight = fetch
    defer { inFlight = nil }
    return try await fetch.value
  }

  private func fetch() async throws -> AWSCredentials {
    var reasons: [String] = []
    for (name, provider) in providers {
      do {
        let fresh = try await provider.credentials()
        cached = fresh
        return fresh
      } catch let error as AWSError {
        reasons.append("\(name): \(Self.reason(error))")
      } catch {
        reasons.append("\(name): \(type(of: error))")
      }
    }
    // Still-valid cached credentials beat none when a refresh fails.
    if let cached, let expiration = cached.expiration, expiration > clock.now { return cached }
    throw AWSError.credentialsUnavailable(reasons.joined(separator: "; "))
  }

  private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
    guard let expiration = credentials.expiration else { return false }
    return clock.now.addingTimeInterval(refreshMargin) >= expiration
  }

  private static func reason(_ error: AWSError) -> String {
    if case .credentialsUnavailable(let detail) = error { return detail }
    return error.description
  }
}
