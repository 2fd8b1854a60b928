import CMalloc
import Dispatch
import Logging

/// Returns the heap's free pages to the system every `interval` seconds (glibc's `malloc_trim(0)`), off the hot
/// paths on a utility queue. glibc gives back only the top of the main heap by itself: the pages freed in the
/// middle of the heaps (a status document re-rendered, a burst of events after a failure) otherwise stay in the
/// process's RSS until reused. A trim takes 2-3 ms at 10,000 targets (scripts/bench-serve with
/// `SWITCHBOARD_LOG_LEVEL=debug`).
final class HeapTrimmer {
  private let timer: any DispatchSourceTimer

  init(every interval: Double = 10, logger: Logger) {
    let timer = DispatchSource.makeTimerSource(
      queue: DispatchQueue(label: "switchboard.heap-trim", qos: .utility))
    timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(1))
    timer.setEventHandler {
      let start = DispatchTime.now().uptimeNanoseconds
      let released = cmalloc_trim() == 1
      let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
      logger.debug("Heap trim: \(released ? "released pages" : "nothing to release") in \(milliseconds) ms.")
    }
    timer.resume()
    self.timer = timer
  }

  deinit { timer.cancel() }
}
