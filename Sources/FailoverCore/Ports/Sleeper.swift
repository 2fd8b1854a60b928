import Foundation

/// Waits between retries and polls, so scenario tests can advance a manual clock instead of sleeping.
public protocol Sleeper: Sendable {
  /// Suspends for about `seconds`; throws if the task is cancelled.
  func sleep(seconds: Double) async throws
}

/// Real waiting, with `Task.sleep`.
public struct TaskSleeper: Sleeper {
  public init() {}
  public func sleep(seconds: Double) async throws {
    try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
  }
}

/// A source of random fractions in [0, 1) for backoff jitter, injectable so tests are deterministic.
public protocol JitterSource: Sendable {
  func fraction() -> Double
}

/// The system random generator.
public struct SystemJitter: JitterSource {
  public init() {}
  public func fraction() -> Double { Double.random(in: 0..<1) }
}
