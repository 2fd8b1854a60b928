import Foundation

/// The source of "now" for everything in the core, so scenarios can run on a manual clock.
public protocol Clock: Sendable {
  /// The current instant.
  var now: Date { get }
}

/// The wall clock.
public struct SystemClock: Clock {
  public init() {}
  public var now: Date { Date() }
}
