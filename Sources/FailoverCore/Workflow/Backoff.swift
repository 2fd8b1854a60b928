import Foundation

/// Exponential backoff with full jitter: before retry n, wait a random time in [0, min(max, base·2^(n-1))).
public struct Backoff: Sendable {
  /// Attempts and delay ceilings.
  public var policy: RetryPolicy
  /// Where the random fraction comes from.
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
