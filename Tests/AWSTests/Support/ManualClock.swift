import FailoverCore
import Foundation

/// A clock the test moves by hand.
final class ManualClock: Clock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  init(_ start: Date = Date()) { current = start }

  var now: Date {
    lock.lock()
    defer { lock.unlock() }
    return current
  }

  func advance(by seconds: TimeInterval) {
    lock.lock()
    current = current.addingTimeInterval(seconds)
    lock.unlock()
  }
}
