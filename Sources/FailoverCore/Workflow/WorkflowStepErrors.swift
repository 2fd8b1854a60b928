import Foundation

/// The target's health is not known yet; the step is retried with backoff rather than failed.
public struct TargetHealthPending: Error, Sendable, CustomStringConvertible {
  public var region: RegionID
  public var reason: String
  public var description: String { "target \(region) is unknown: \(reason)" }
}

/// A step failure that retrying cannot fix (e.g. the target turned unhealthy).
public struct PermanentStepError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// A step failure worth retrying, with a sentence.
struct RetryableStepError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
