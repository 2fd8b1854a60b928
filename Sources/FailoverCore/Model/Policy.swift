import Foundation

/// Retries of one workflow step: exponential backoff with full jitter.
public struct RetryPolicy: Sendable, Hashable, Codable {
  /// Attempts in total, including the first (at least 1).
  public var maxAttempts: Int
  /// The backoff ceiling before the first retry, in seconds; it doubles with each retry.
  public var baseDelay: Double
  /// The largest backoff ceiling, in seconds.
  public var maxDelay: Double
  public init(maxAttempts: Int = 5, baseDelay: Double = 1, maxDelay: Double = 30) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }
  /// The backoff ceiling before retry number `retry` (1 = first retry): min(maxDelay, base·2^(retry-1)).
  public func ceiling(beforeRetry retry: Int) -> Double {
    min(maxDelay, baseDelay * pow(2, Double(max(0, retry - 1))))
  }
}

/// The rules that govern automatic action.
public struct Policy: Sendable, Hashable, Codable {
  /// Minimum seconds between two transitions of a service (anti-flap), unless forced.
  public var minimumDwell: Double
  /// Most automatic failovers (all services) in any sliding hour: the brake.
  public var maxAutomaticFailoversPerHour: Int
  /// Whether traffic returns to the primary by itself once it has been healthy for `failbackHoldTime`.
  public var automaticFailback: Bool
  /// Seconds the primary must have been healthy before an automatic failback.
  public var failbackHoldTime: Double
  /// Override expiry when none is given, in seconds (4 h).
  public var defaultOverrideDuration: Double
  /// Longest allowed override, in seconds (72 h).
  public var maximumOverrideDuration: Double
  /// Retries of each workflow step.
  public var stepRetry: RetryPolicy
  /// Retries of each notification.
  public var notificationRetry: RetryPolicy
  /// How long a DNS change may take to reach INSYNC, in seconds.
  public var syncTimeout: Double
  /// Seconds between two change-status polls.
  public var syncPollInterval: Double

  public init(
    minimumDwell: Double = 600, maxAutomaticFailoversPerHour: Int = 3, automaticFailback: Bool = false,
    failbackHoldTime: Double = 600, defaultOverrideDuration: Double = 4 * 3600,
    maximumOverrideDuration: Double = 72 * 3600, stepRetry: RetryPolicy = RetryPolicy(),
    notificationRetry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 10),
    syncTimeout: Double = 300, syncPollInterval: Double = 5
  ) {
    self.minimumDwell = minimumDwell
    self.maxAutomaticFailoversPerHour = maxAutomaticFailoversPerHour
    self.automaticFailback = automaticFailback
    self.failbackHoldTime = failbackHoldTime
    self.defaultOverrideDuration = defaultOverrideDuration
    self.maximumOverrideDuration = maximumOverrideDuration
    self.stepRetry = stepRetry
    self.notificationRetry = notificationRetry
    self.syncTimeout = syncTimeout
    self.syncPollInterval = syncPollInterval
  }
}
