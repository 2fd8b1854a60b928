import Synchronization

/// Caps the UDP responses sent to one source address per second (UDP sources can be forged, so an attacker
/// could aim the answers at someone else); queries beyond the cap are dropped. TCP is not limited.
public final class SourceRateLimiter: Sendable {
  /// The default cap, per source address and second.
  public static let defaultResponsesPerSecond = 1000
  /// At most this many sources are tracked per second; beyond it new sources share one budget.
  static let maximumSources = 65536

  private struct Window {
    var second: Int64 = 0
    var counts: [[UInt8]: Int] = [:]
  }

  private let limit: Int
  private let window = Mutex(Window())

  /// A limiter allowing `responsesPerSecond` per source; 0 turns it off.
  public init(responsesPerSecond: Int) { limit = responsesPerSecond }

  /// Whether a response may go to `source` (its address bytes) in second `now`.
  public func allows(_ source: [UInt8], now: Int64) -> Bool {
    guard limit > 0 else { return true }
    return window.withLock { window in
      if window.second != now {
        window.second = now
        window.counts.removeAll(keepingCapacity: true)
      }
      let key = window.counts.count >= Self.maximumSources && window.counts[source] == nil ? [] : source
      let count = window.counts[key, default: 0] + 1
      window.counts[key] = count
      return count <= limit
    }
  }
}
