import Foundation

/// The SDKs' "standard" retry mode: bounded attempts and total time, exponential backoff with full jitter.
///
/// Pure: the executor feeds it the attempt number, elapsed time and a random number in [0, 1).
public struct RetryPolicy: Sendable, Hashable {
  /// Attempts in total, the first one included.
  public var maxAttempts: Int
  /// The backoff before retry i (1-based) is `random * min(baseDelay * 2^(i-1), maxBackoff)`.
  public var baseDelay: TimeInterval
  /// The cap on any one backoff.
  public var maxBackoff: TimeInterval
  /// No retry starts once this much time has passed since the first attempt.
  public var maxTotalTime: TimeInterval
  /// The bound on one attempt, from sending to the last byte of the answer.
  public var perCallTimeout: TimeInterval

  /// A policy; the defaults are the SDKs' standard mode plus a 10 s per-call timeout.
  public init(
    maxAttempts: Int = 3, baseDelay: TimeInterval = 1, maxBackoff: TimeInterval = 20,
    maxTotalTime: TimeInterval = 60, perCallTimeout: TimeInterval = 10
  ) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxBackoff = maxBackoff
    self.maxTotalTime = maxTotalTime
    self.perCallTimeout = perCallTimeout
  }

  /// The AWS SDK defaults for standard mode.
  public static let standard = RetryPolicy()

  /// Error codes that mean "slow down", retried like 5xx answers.
  public static let throttlingCodes: Set<String> = [
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
    "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
  ]

  /// Whether a failure may succeed when sent again: throttling, 5xx, transport errors and timeouts.
  /// Never a 4xx validation or authorization error.
  public static func isRetryable(_ error: AWSError) -> Bool {
    switch error {
    case .transport, .timedOut:
      return true
    case .service(let service):
      return throttlingCodes.contains(service.code) || service.httpStatus == 429 || service.httpStatus >= 500
    default:
      return false
    }
  }

  /// What to do after a failed attempt.
  public enum Decision: Sendable, Hashable {
    case retry(after: TimeInterval)
    case giveUp
  }

  /// Decides whether attempt `attempt` (1-based, just failed) is followed by another one, and when.
  public func decide(after error: AWSError, attempt: Int, elapsed: TimeInterval, random: Double) -> Decision {
    guard Self.isRetryable(error), attempt < maxAttempts else { return .giveUp }
    let delay = backoff(retry: attempt, random: random)
    guard elapsed + delay < maxTotalTime else { return .giveUp }
    return .retry(after: delay)
  }

  /// Full-jitter backoff before retry number `retry` (1-based).
  public func backoff(retry: Int, random: Double) -> TimeInterval {
    let exponent = min(max(retry - 1, 0), 30)
    let ceiling = min(baseDelay * pow(2, Double(exponent)), maxBackoff)
    return min(max(random, 0), 1) * ceiling
  }
}
