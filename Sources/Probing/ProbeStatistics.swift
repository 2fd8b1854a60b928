/// How well the periodic probes kept their schedule: counts, missed intervals and scheduling lag.
public struct ProbeStatistics: Sendable, Hashable {
  /// Periodic probes started.
  public var started: Int
  /// Periodic probes that produced a result.
  public var completed: Int
  /// Intervals skipped because a probe started a whole interval (or more) late.
  public var missedIntervals: Int
  /// Periodic intervals skipped because every connection slot was taken (`probes.max_in_flight`); included
  /// in `missedIntervals`.
  public var skippedAtCapacity: Int
  /// One-shot probes refused because every connection slot was taken.
  public var refusedAtCapacity: Int
  /// Median delay between a probe's due time and its start, in seconds.
  public var lagP50: Double
  /// 99th percentile of that delay, in seconds.
  public var lagP99: Double
  /// Largest delay seen, in seconds.
  public var lagMax: Double
  /// Probes in flight when the statistics were read.
  public var inFlight: Int

  /// Per-lane counters, kept on the lane's queue.
  struct Accumulator {
    /// 64 KB of lags per lane (65,536 took 2 MB of the heap across four lanes); at 10,000 targets on four lanes
    /// that is the last 3 s of starts, which is what a steady-state percentile needs.
    static let sampleCapacity = 8_192
    var started = 0
    var completed = 0
    var missed = 0
    var skipped = 0
    var refused = 0
    var maxLag: UInt64 = 0
    var lags: [UInt64] = []
    var nextSample = 0

    mutating func recordStart(lagNanoseconds: UInt64, missed: Int) {
      started += 1
      self.missed += missed
      maxLag = max(maxLag, lagNanoseconds)
      if lags.count < Accumulator.sampleCapacity {
        lags.append(lagNanoseconds)
      } else {
        lags[nextSample] = lagNanoseconds
        nextSample = (nextSample + 1) % Accumulator.sampleCapacity
      }
    }

    /// A due periodic probe that found no free connection slot: `missed` intervals lost (this one included).
    mutating func recordSkip(missed: Int) {
      skipped += 1
      self.missed += missed
    }

    mutating func recordCompletion() { completed += 1 }
  }

  /// Combines the lanes' counters (the most recent 8,192 lags per lane count towards the percentiles).
  static func combine(_ parts: [(Accumulator, Int)]) -> ProbeStatistics {
    let lags = parts.flatMap(\.0.lags).sorted()
    func percentile(_ p: Double) -> Double {
      guard !lags.isEmpty else { return 0 }
      let index = min(lags.count - 1, Int((Double(lags.count - 1) * p).rounded()))
      return Double(lags[index]) / 1_000_000_000
    }
    return ProbeStatistics(
      started: parts.map(\.0.started).reduce(0, +), completed: parts.map(\.0.completed).reduce(0, +),
      missedIntervals: parts.map(\.0.missed).reduce(0, +),
      skippedAtCapacity: parts.map(\.0.skipped).reduce(0, +),
      refusedAtCapacity: parts.map(\.0.refused).reduce(0, +), lagP50: percentile(0.5),
      lagP99: percentile(0.99),
      lagMax: Double(parts.map(\.0.maxLag).max() ?? 0) / 1_000_000_000,
      inFlight: parts.map(\.1).reduce(0, +))
  }
}
