import Dispatch

/// One serial queue and the connections it owns; all their state is touched only on this queue.
///
/// Every queue targets the global concurrent queue (one `DispatchQueue(label:)` per connection would
/// target the overcommit pool and explode the thread count).
final class Worker: @unchecked Sendable {
  let queue: DispatchQueue
  var connections: [ObjectIdentifier: any ServerConnection] = [:]
  var dateCache = HTTPDateCache()
  private var sweepTimer: DispatchSourceTimer?

  init(index: Int) {
    queue = DispatchQueue(label: "switchboard.http.worker.\(index)", target: .global())
  }

  /// Starts the timer that enforces connection deadlines.
  func startSweeping(every interval: Duration) {
    let timer = DispatchSource.makeTimerSource(queue: queue)
    let nanos = Int(
      interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
    timer.schedule(
      deadline: .now() + .nanoseconds(nanos), repeating: .nanoseconds(nanos), leeway: .milliseconds(10))
    timer.setEventHandler { [unowned self] in
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
