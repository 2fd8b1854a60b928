import Dispatch

/// One serial queue and the connections it owns; all their state is touched only on this queue.
///
/// There are only N workers for N cores, so each may have a thread of the overcommit pool to itself: the
/// server then never waits behind blocking work queued on the global queues (whose width is one thread per
/// core). One queue per connection would explode the thread count; one per worker costs N threads.
final class Worker: @unchecked Sendable {
  let queue: DispatchQueue
  var connections: [ObjectIdentifier: any ServerConnection] = [:]
  var dateCache = HTTPDateCache()
  /// Readiness of this worker's sockets (one Dispatch source for all of them).
  let poller: Poller
  private var sweepTimer: DispatchSourceTimer?

  init(index: Int) {
    queue = DispatchQueue(label: "switchboard.http.worker.\(index)")
    poller = Poller(queue: queue)
  }

  deinit { sweepTimer?.cancel() }

  /// Starts the timer that enforces connection deadlines.
  func startSweeping(every interval: Duration) {
    let timer = DispatchSource.makeTimerSource(queue: queue)
    let nanos = Int(
      interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
    timer.schedule(
      deadline: .now() + .nanoseconds(nanos), repeating: .nanoseconds(nanos), leeway: .milliseconds(10))
    timer.setEventHandler { [weak self] in
      guard let self else { return }
      let now = DispatchTime.now().uptimeNanoseconds
      for connection in Array(connections.values) { connection.checkDeadline(now: now) }
    }
    timer.resume()
    sweepTimer = timer
  }

  func stopSweeping() {
    sweepTimer?.cancel()
    sweepTimer = nil
  }
}
