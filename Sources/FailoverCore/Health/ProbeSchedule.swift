import Foundation

/// When each probe runs: targets that share an interval are spread evenly over it, with a small deterministic
/// jitter so that restarts do not line every probe up on the same instant.
public struct ProbeSchedule: Sendable {
  /// Offset of each signal's first probe from the schedule's start, in seconds.
  public let offsets: [SignalKey: Double]
  /// Each signal's probe interval, in seconds.
  public let intervals: [SignalKey: Double]

  /// A schedule for signals with their intervals (seconds, at least 1).
  public init(_ targets: [(key: SignalKey, interval: Double)]) {
    var offsets: [SignalKey: Double] = [:]
    var intervals: [SignalKey: Double] = [:]
    let groups = Dictionary(grouping: targets, by: { max(1, $0.interval) })
    for (interval, members) in groups {
      let sorted = members.map(\.key).sorted()
      let slot = interval / Double(sorted.count)
      for (index, key) in sorted.enumerated() {
        // Jitter within the first quarter of the slot, stable for a given key.
        let jitter = Double(ProbeSchedule.stableHash(key.description) % 1000) / 1000 * slot / 4
        offsets[key] = Double(index) * slot + jitter
        intervals[key] = interval
      }
    }
    self.offsets = offsets
    self.intervals = intervals
  }

  /// The first time a signal is due after the schedule starts.
  public func firstDue(_ key: SignalKey, start: Date) -> Date? {
    offsets[key].map { start.addingTimeInterval($0) }
  }

  /// The next time a signal is due after it last ran.
  public func nextDue(_ key: SignalKey, after last: Date) -> Date? {
    intervals[key].map { last.addingTimeInterval($0) }
  }

  /// FNV-1a, so the jitter (and the prober's lane of a probe) is the same in every process (Swift's
  /// `hashValue` is seeded per run).
  public static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
