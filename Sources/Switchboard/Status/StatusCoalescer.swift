import Foundation

/// When the status documents are rendered after engine changes: the first visible change of a burst opens a window
/// of `window` seconds, and one render at its end covers every change that arrived in it. A failure is therefore
/// on the documents at most `window` (plus one render) after the engine's transition, and their ETags change once
/// per burst, not once per change.
struct StatusCoalescer: Sendable {
  /// The longest a change waits for its render, in seconds (docs/status.md: at most 0.25).
  static let maximumWindow = 0.25
  /// The window in force.
  let window: Double
  /// When the open window's render is due; nil when no change is waiting.
  private(set) var dueAt: Date?

  /// A coalescer with a window of `window` seconds, clamped to 0...`maximumWindow`.
  init(window: Double) { self.window = min(max(0, window), Self.maximumWindow) }

  /// A change arrived at `now`: the render it waits for is due then (nil when a window is already open, whose
  /// render will include it).
  mutating func changed(at now: Date) -> Date? {
    guard dueAt == nil else { return nil }
    let due = now.addingTimeInterval(window)
    dueAt = due
    return due
  }

  /// The render is starting: changes from now on open a new window.
  mutating func rendering() { dueAt = nil }

  /// Whether `change` can alter what the status documents show (a decision alone cannot: it is not on them).
  static func isVisible(_ change: EngineChange) -> Bool {
    if case .decision = change { return false }
    return true
  }
}
