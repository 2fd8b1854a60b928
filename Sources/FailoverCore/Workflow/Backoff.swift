import Foundation

/// Exponential backoff with full jitter: before retry n, wait a random time in [0, min(max, base·2^(n-1))).
public struct Backoff: Sendable {
  public var policy: RetryPolicy
  public var jitter: any JitterSource
  public init(policy: RetryPolicy, jitter: any JitterSource) {
    self.policy = policy
    self.jitter = jitter
  }
  /// The wait before retry number `retry` (1 = the first retry), in seconds.
  public func delay(beforeRetry retry: Int) -> Double {
    policy.ceiling(beforeRetry: retry) * min(max(jitter.fraction(), 0), 1)
  }
}
