import Foundation

/// When to publish after a burst of changes (the status documents after engine changes): the first change of a
/// burst opens a window of `window` seconds, and one publication at its end covers every change that arrived in it.
/// A change is therefore published at most `window` (plus one render) after it happened, once per burst.
public struct ChangeCoalescer: Sendable {
  /// The longest a change waits for its publication, in seconds (docs/status.md: at most 0.25).
  public static let maximumWindow = 0.25
  /// The window in force.
  public let window: Double
  /// When the open window's publication is due; nil when no change is waiting.
  public private(set) var dueAt: Date?

  /// A coalescer with a window of `window` seconds, clamped to 0...`maximumWindow`.
  public init(window: Double) { self.window = min(max(0, window), Self.maximumWindow) }

  /// A change arrived at `now`: the publication it waits for is due then (nil when a window is already open,
  /// whose publication will include it).
  public mutating func changed(at now: Date) -> Date? {
    guard dueAt == nil else { return nil }
    let due = now.addingTimeInterval(window)
    dueAt = due
    return due
  }

  /// The publication is starting: changes from now on open a new window.
  public mutating func publishing() { dueAt = nil }
}
