import ArgumentParser
import FailoverCore
import Foundation
import Probing
import Switchboard
import Synchronization

/// `switchboard probe-bench --url-base URL`: runs N periodic probes against a target and reports whether the
/// prober kept its schedule and what CPU it used; what scripts/bench-probes runs.
struct ProbeBenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe-bench", abstract: "Measure the HTTP prober with many periodic targets.",
    shouldDisplay: false)

  @Option(
    help: "Base URLs of the target servers (comma-separated); probe i uses base[i % n] + /health?probe=i.")
  var urlBase: String

  @Option(help: "Number of probe targets.")
  var targets: Int = 1000

  @Option(help: "Probe interval in seconds.")
  var interval: Double = 1

  @Option(help: "Measured duration in seconds (after a warm-up of one interval).")
  var duration: Double = 30

  func run() async throws {
    let bases = urlBase.split(separator: ",").map(String.init)
    let healthy = Atomic<Int>(0)
    let other = Atomic<Int>(0)
    let firstReason = Mutex<String?>(nil)
    let prober = HTTPProber()
    let runner = ProbeRunner(prober: prober) { observation in
      if observation.status == .healthy {
        healthy.add(1, ordering: .relaxed)
      } else {
        other.add(1, ordering: .relaxed)
        firstReason.withLock { if $0 == nil { $0 = observation.reason } }
      }
    }
    let probeTargets = (0..<targets).map { index in
      ProbeTarget(
        key: SignalKey(service: ServiceID("bench-\(index)"), region: "local", name: "probe \(index)"),
        spec: HTTPProbeSpec(url: "\(bases[index % bases.count])/health?probe=\(index)", interval: interval))
    }
    runner.update(probeTargets)
    try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
    runner.resetStatistics()
    healthy.store(0, ordering: .relaxed)
    other.store(0, ordering: .relaxed)
    let cpuStart = ProcessCPU.seconds()
    let wallStart = DispatchTime.now().uptimeNanoseconds
    try await Task.sleep(nanoseconds: UInt64(duration * 1e9))
    let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
    let cpu = ProcessCPU.seconds() - cpuStart
    let stats = runner.statistics()
    let threads = ProcessCPU.threads()
    runner.stop()
    let expected = Int((Double(targets) * wall / interval).rounded())
    print(
      """
      targets: \(targets) at \(interval) s for \(String(format: "%.1f", wall)) s
      probes started: \(stats.started) (expected \(expected)), completed: \(stats.completed), in flight: \(stats.inFlight)
      observations: \(healthy.load(ordering: .relaxed)) healthy, \(other.load(ordering: .relaxed)) other\
      \(firstReason.withLock { $0 }.map { " (first: \($0))" } ?? "")
      missed intervals: \(stats.missedIntervals)
      scheduling lag: p50 \(String(format: "%.3f", stats.lagP50 * 1000)) ms, p99 \(String(format: "%.3f", stats.lagP99 * 1000)) ms, max \(String(format: "%.3f", stats.lagMax * 1000)) ms
      prober threads at the end: \(threads.map(String.init) ?? "unknown")
      prober CPU: \(String(format: "%.3f", cpu)) s over \(String(format: "%.1f", wall)) s wall = \(String(format: "%.3f", cpu / wall)) CPU-seconds per second
      """)
  }
}

/// The CPU time (user + system) this process has used, from getrusage, and its thread count.
enum ProcessCPU {
  /// Threads of this process, from /proc/self/status (Linux only).
  static func threads() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
    return line.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
  }

  static func seconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
  }
}
