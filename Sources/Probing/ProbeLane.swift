import Dispatch
import FailoverCore

import struct Foundation.Date

/// One serial queue (targeting the global queue) with the probes it runs: their I/O, their deadlines (one sweep
/// timer) and the schedule of the periodic ones (one timer set to the earliest due probe).
final class ProbeLane: @unchecked Sendable {
  /// A periodic probe as the lane schedules it.
  struct Scheduled {
    var key: SignalKey
    var spec: HTTPProbeSpec
    var url: ProbeURL?
    var request: [UInt8]
    var due: UInt64
    var interval: UInt64
    var generation: Int
  }

  let queue: DispatchQueue
  let resolver: HostResolver
  private var connections: [ObjectIdentifier: ProbeConnection] = [:]
  private var pool = ProbeConnectionPool()
  private var sweepTimer: DispatchSourceTimer?
  private var scheduleTimer: DispatchSourceTimer?
  private var scheduled: [SignalKey: Scheduled] = [:]
  private var heap = DueHeap()
  private var nextGeneration = 0
  private var armedFor: UInt64 = .max
  var statistics = ProbeStatistics.Accumulator()
  /// Connections this lane may hold open at once (its share of the prober's cap): a periodic probe due while
  /// the lane is full skips that interval (counted as missed), a one-shot probe fails at once; never a queue.
  var maxInFlight = Int.max
  /// Whether a connection whose response was read to its end serves later checks of its origin
  /// (`probes.keep_alive`); set before scheduling.
  var keepAlive = true
  /// What to do with a periodic probe's result (set by the runner before scheduling).
  var onResult: (@Sendable (SignalKey, HTTPProbeSpec, HTTPProbeResult, Date) -> Void)?
  var clock: any Clock = SystemClock()
  /// Where this lane's connections read responses (one at a time, on the lane's queue): no buffer per read.
  let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 1)

  init(index: Int, resolver: HostResolver) {
    // A thread of its own (N lanes for N cores): probes keep time even when the global queues are busy.
    queue = DispatchQueue(label: "switchboard.probe.lane.\(index)")
    self.resolver = resolver
    queue.async { self.startSweeping() }
  }

  deinit { readBuffer.deallocate() }

  /// Runs one probe now (on the lane's queue): on an idle connection to its origin when there is one, else on
  /// a fresh connection if a slot is free (closing an idle connection to another origin if need be).
  func run(
    url: ProbeURL, request: [UInt8]? = nil, connectTimeout: Double, responseTimeout: Double,
    completion: @escaping @Sendable (HTTPProbeResult) -> Void
  ) {
    let check = ProbeCheck(
      url: url, request: request ?? ProbeConnection.request(for: url, keepAlive: keepAlive),
      connectTimeout: connectTimeout, responseTimeout: responseTimeout,
      startedAt: DispatchTime.now().uptimeNanoseconds, completion: completion)
    if keepAlive, let idle = pool.take(check.origin) {
      connections[ObjectIdentifier(idle)] = idle
      return idle.reuse(for: check)
    }
    guard hasSlot(for: check.origin) else {
      statistics.refused += 1
      return completion(.failure(reason: ProbeLane.capacityReason(maxInFlight), latency: nil))
    }
    startFresh(check)
  }

  /// Runs a check on a new connection (the caller made sure a slot is free).
  func startFresh(_ check: ProbeCheck) {
    let connection = ProbeConnection(lane: self, check: check)
    connections[ObjectIdentifier(connection)] = connection
    connection.start()
  }

  /// Whether a check of `origin` can run now: an idle connection to it waits, or fewer than `maxInFlight`
  /// connections are open, or an idle connection to another origin can be closed to make room.
  private func hasSlot(for origin: ProbeOrigin) -> Bool {
    if pool.has(origin) || connections.count + pool.count < maxInFlight { return true }
    guard let oldest = pool.takeOldest() else { return false }
    oldest.abandon()
    return true
  }

  /// Forgets a connection that is no longer running a check.
  func finished(_ connection: ProbeConnection) {
    connections[ObjectIdentifier(connection)] = nil
  }

  /// Keeps an idle connection for the next check of its origin.
  func park(_ connection: ProbeConnection) { pool.put(connection) }

  /// Forgets an idle connection that is closing.
  func unpark(_ connection: ProbeConnection) { pool.remove(connection) }

  /// Connections open and idle.
  var idleCount: Int { pool.count }

  /// Why a one-shot probe did not start.
  static func capacityReason(_ cap: Int) -> String {
    "probe not started: \(cap) probe connections already in flight on this lane (probes.max_in_flight)"
  }

  /// FNV-1a of a text: which lane a probe belongs to, the same in every process.
  static func laneHash(_ text: String) -> UInt64 { ProbeSchedule.stableHash(text) }

  /// Probes in flight.
  var inFlight: Int { connections.count }

  // MARK: Periodic probes

  /// Adds, keeps or removes periodic probes; unchanged ones keep their place in time (on the lane's queue).
  func setSchedule(_ targets: [(key: SignalKey, spec: HTTPProbeSpec, firstDue: UInt64)]) {
    var kept: [SignalKey: Scheduled] = [:]
    for target in targets {
      if let existing = scheduled[target.key], existing.spec == target.spec {
        kept[target.key] = existing
        continue
      }
      nextGeneration += 1
      let url = ProbeURL(target.spec.url)
      let entry = Scheduled(
        key: target.key, spec: target.spec, url: url,
        request: url.map { ProbeConnection.request(for: $0, keepAlive: keepAlive) } ?? [],
        due: target.firstDue,
        interval: ProbeConnection.nanos(max(1, target.spec.interval)), generation: nextGeneration)
      kept[target.key] = entry
      heap.push(entry.due, entry.key, entry.generation)
    }
    scheduled = kept
    armedFor = .max
    arm()
  }

  /// Stops every periodic probe.
  func stopSchedule() {
    scheduled = [:]
    heap = DueHeap()
    scheduleTimer?.cancel()
    scheduleTimer = nil
    armedFor = .max
  }

  private func arm() {
    // Drop stale heap entries (removed or rescheduled probes) from the top.
    while let top = heap.peek,
      scheduled[top.key]?.generation != top.generation || scheduled[top.key]?.due != top.due
    {
      heap.pop()
    }
    guard let next = heap.peek?.due else { return }
    if next == armedFor { return }
    armedFor = next
    if scheduleTimer == nil {
      let timer = DispatchSource.makeTimerSource(queue: queue)
      timer.setEventHandler { [weak self] in self?.fireDue() }
      timer.schedule(deadline: DispatchTime(uptimeNanoseconds: next), leeway: .microseconds(500))
      timer.resume()
      scheduleTimer = timer
    } else {
      scheduleTimer?.schedule(deadline: DispatchTime(uptimeNanoseconds: next), leeway: .microseconds(500))
    }
  }

  private func fireDue() {
    armedFor = .max
    let now = DispatchTime.now().uptimeNanoseconds
    while let top = heap.peek, top.due <= now {
      heap.pop()
      guard var entry = scheduled[top.key], entry.generation == top.generation, entry.due == top.due else {
        continue
      }
      let lag = now - entry.due
      let missed = lag >= entry.interval ? Int(lag / entry.interval) : 0
      entry.due += entry.interval * UInt64(missed + 1)
      scheduled[entry.key] = entry
      heap.push(entry.due, entry.key, entry.generation)
      if let url = entry.url, !hasSlot(for: ProbeOrigin(url)) {
        // No slot: this interval is missed (and counted), the probe keeps its rhythm; nothing piles up.
        statistics.recordSkip(missed: missed + 1)
        continue
      }
      statistics.recordStart(lagNanoseconds: lag, missed: missed)
      launch(entry)
    }
    arm()
  }

  private func launch(_ entry: Scheduled) {
    let at = clock.now
    let key = entry.key
    let spec = entry.spec
    let report = onResult
    guard let url = entry.url else {
      let result = HTTPProbeResult.failure(reason: "not an http:// or https:// URL", latency: nil)
      statistics.recordCompletion()
      report?(key, spec, result, at)
      return
    }
    run(
      url: url, request: entry.request, connectTimeout: spec.connectTimeout,
      responseTimeout: spec.responseTimeout
    ) {
      [self] result in
      statistics.recordCompletion()
      report?(key, spec, result, at)
    }
  }

  /// Cancels the lane's timers (when its prober goes away).
  func shutdown() {
    stopSchedule()
    sweepTimer?.cancel()
    sweepTimer = nil
    for connection in pool.takeAll() { connection.abandon() }
  }

  // MARK: Deadlines

  private func startSweeping() {
    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(
      deadline: .now() + .milliseconds(20), repeating: .milliseconds(20), leeway: .milliseconds(5))
    timer.setEventHandler { [weak self] in
      guard let self else { return }
      let now = DispatchTime.now().uptimeNanoseconds
      if pool.count > 0, now > ProbeConnectionPool.idleLimitNanoseconds {
        for connection in pool.takeExpired(before: now - ProbeConnectionPool.idleLimitNanoseconds) {
          connection.abandon()
        }
      }
      guard !connections.isEmpty else { return }
      for connection in Array(connections.values) where connection.deadline <= now {
        connection.checkDeadline(now: now)
      }
    }
    timer.resume()
    sweepTimer = timer
  }
}

/// A binary min-heap of due times: the lane's timer wheel.
struct DueHeap {
  struct Item {
    var due: UInt64
    var key: SignalKey
    var generation: Int
  }
  private var items: [Item] = []

  var peek: Item? { items.first }

  mutating func push(_ due: UInt64, _ key: SignalKey, _ generation: Int) {
    items.append(Item(due: due, key: key, generation: generation))
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard items[child].due < items[parent].due else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  @discardableResult
  mutating func pop() -> Item? {
    guard !items.isEmpty else { return nil }
    items.swapAt(0, items.count - 1)
    let top = items.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < items.count && items[left].due < items[smallest].due { smallest = left }
      if right < items.count && items[right].due < items[smallest].due { smallest = right }
      if smallest == parent { break }
      items.swapAt(parent, smallest)
      parent = smallest
    }
    return top
  }
}
