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
  }

  let queue: DispatchQueue
  let resolver: HostResolver
  private var connections: [ObjectIdentifier: ProbeConnection] = [:]
  private var pool = ProbeConnectionPool()
  private var sweepTimer: DispatchSourceTimer?
  private var scheduleTimer: DispatchSourceTimer?
  /// The periodic probes, in no order; the heap and the index refer to them by position (no hashing, no
  /// reference counting per due probe).
  private var entries: [Scheduled] = []
  private var slots: [SignalKey: Int] = [:]
  private var heap = DueHeap()
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

  /// Whether an idle connection to `origin` may be kept (`ProbeConnectionPool.maxIdlePerOrigin`).
  func canPark(_ origin: ProbeOrigin) -> Bool { pool.hasRoom(for: origin) }

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

  /// How early a periodic probe may start so that probes due close together start in one timer event (2 ms).
  static let batchNanoseconds: UInt64 = 2_000_000

  /// FNV-1a of a text: which lane a probe belongs to, the same in every process.
  static func laneHash(_ text: String) -> UInt64 { ProbeSchedule.stableHash(text) }

  /// Probes in flight.
  var inFlight: Int { connections.count }

  // MARK: Periodic probes

  /// Adds, keeps or removes periodic probes; unchanged ones keep their place in time (on the lane's queue).
  func setSchedule(_ targets: [(key: SignalKey, spec: HTTPProbeSpec, firstDue: UInt64)]) {
    var kept: [Scheduled] = []
    kept.reserveCapacity(targets.count)
    var keptSlots: [SignalKey: Int] = [:]
    for target in targets where keptSlots[target.key] == nil {
      if let slot = slots[target.key], entries[slot].spec == target.spec {
        kept.append(entries[slot])
      } else {
        let url = ProbeURL(target.spec.url)
        kept.append(
          Scheduled(
            key: target.key, spec: target.spec, url: url,
            request: url.map { ProbeConnection.request(for: $0, keepAlive: keepAlive) } ?? [],
            due: target.firstDue, interval: ProbeConnection.nanos(max(1, target.spec.interval))))
      }
      keptSlots[target.key] = kept.count - 1
    }
    entries = kept
    slots = keptSlots
    heap = DueHeap(entries.indices.map { DueHeap.Item(due: entries[$0].due, slot: $0) })
    armedFor = .max
    arm()
  }

  /// Stops every periodic probe.
  func stopSchedule() {
    entries = []
    slots = [:]
    heap = DueHeap()
    scheduleTimer?.cancel()
    scheduleTimer = nil
    armedFor = .max
  }

  private func arm() {
    guard let next = heap.peek?.due else { return }
    if next == armedFor { return }
    armedFor = next
    if scheduleTimer == nil {
      let timer = DispatchSource.makeTimerSource(queue: queue)
      timer.setEventHandler { [weak self] in self?.fireDue() }
      timer.schedule(deadline: DispatchTime(uptimeNanoseconds: next), leeway: .milliseconds(1))
      timer.resume()
      scheduleTimer = timer
    } else {
      scheduleTimer?.schedule(deadline: DispatchTime(uptimeNanoseconds: next), leeway: .milliseconds(1))
    }
  }

  private func fireDue() {
    armedFor = .max
    let now = DispatchTime.now().uptimeNanoseconds
    // Probes due within the batch window start now too: one timer event per window, not one per probe.
    while let top = heap.peek, top.due <= now + ProbeLane.batchNanoseconds {
      let slot = top.slot
      let interval = entries[slot].interval
      let lag = now > entries[slot].due ? now - entries[slot].due : 0
      let missed = lag >= interval ? Int(lag / interval) : 0
      entries[slot].due += interval * UInt64(missed + 1)
      heap.replaceTop(due: entries[slot].due)
      if let url = entries[slot].url, !hasSlot(for: ProbeOrigin(url)) {
        // No slot: this interval is missed (and counted), the probe keeps its rhythm; nothing piles up.
        statistics.recordSkip(missed: missed + 1)
        continue
      }
      statistics.recordStart(lagNanoseconds: lag, missed: missed)
      launch(entries[slot])
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

/// A binary min-heap of due times over the lane's entries: the lane's timer wheel.
struct DueHeap {
  /// When the entry at `slot` is due next.
  struct Item {
    var due: UInt64
    var slot: Int
  }
  private var items: [Item] = []

  init() {}

  /// A heap of `items` (built bottom-up).
  init(_ items: [Item]) {
    self.items = items
    for index in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
  }

  var peek: Item? { items.first }

  /// Changes the due time of the top item and restores the order.
  mutating func replaceTop(due: UInt64) {
    guard !items.isEmpty else { return }
    items[0].due = due
    siftDown(0)
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
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
  }
}
