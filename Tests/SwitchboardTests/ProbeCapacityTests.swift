import Configuration
import FailoverCore
import Foundation
import Glibc
import Probing
import Sockets
import Switchboard
import Synchronization
import Telemetry
import Testing

/// The prober's bound on connections in flight, and what running out of file descriptors looks like.
@Suite("Probe capacity: connections in flight, file descriptors")
struct ProbeCapacityTests {
  static let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")

  @Test(
    "Given a cap of 2 and 6 periodic targets that never answer, when they come due, then 2 connections open and the others skip their interval, counted as missed"
  )
  func periodicProbesSkipAtTheCap() async throws {
    let listener = Loopback.SilentListener()
    let observations = Mutex(0)
    let runner = ProbeRunner(prober: HTTPProber(laneCount: 1, maxInFlight: 2)) { _ in
      observations.withLock { $0 += 1 }
    }
    let targets = (0..<6).map {
      ProbeTarget(
        key: SignalKey(service: ServiceID("s\($0)"), region: "us-east-1", name: "probe"),
        spec: HTTPProbeSpec(
          url: "http://127.0.0.1:\(listener.port)/health?n=\($0)", interval: 1, responseTimeout: 30))
    }
    runner.update(targets)
    var stats = runner.statistics()
    for _ in 0..<100 where stats.skippedAtCapacity < 8 {
      try await Task.sleep(nanoseconds: 50_000_000)
      stats = runner.statistics()
    }
    runner.stop()
    #expect(stats.inFlight == 2)
    #expect(stats.started == 2)
    #expect(stats.skippedAtCapacity >= 8)
    #expect(stats.missedIntervals >= stats.skippedAtCapacity)
    #expect(observations.withLock { $0 } == 0)
    #expect(runner.prober.withoutSlot().skipped >= stats.skippedAtCapacity)
    withExtendedLifetime(listener) {}
  }

  @Test(
    "Given a cap of 1 and a probe in flight, when another probe is asked for, then it fails at once and says why"
  )
  func oneShotProbeFailsAtTheCap() async throws {
    let listener = Loopback.SilentListener()
    let prober = HTTPProber(laneCount: 1, maxInFlight: 1)
    let url = "http://127.0.0.1:\(listener.port)/health"
    let first = Mutex<HTTPProbeResult?>(nil)
    prober.probeResult(HTTPProbeSpec(url: url, responseTimeout: 0.5)) { result in
      first.withLock { $0 = result }
    }
    let started = Date()
    let second = await prober.probe(HTTPProbeSpec(url: url, responseTimeout: 30), key: Self.key)
    #expect(second.status == .unhealthy)
    #expect(second.reason.contains("probe not started: 1 probe connections already in flight"))
    #expect(Date().timeIntervalSince(started) < 5)
    #expect(prober.withoutSlot().refused == 1)
    // The slot frees when the first probe ends: the next probe runs (and times out on the silent listener).
    for _ in 0..<100 where first.withLock({ $0 }) == nil { try await Task.sleep(nanoseconds: 50_000_000) }
    let third = await prober.probe(HTTPProbeSpec(url: url, responseTimeout: 0.5), key: Self.key)
    #expect(third.reason.contains("timed out after 0.5 s"), "\(third.reason)")
    #expect(first.withLock { $0 } != nil)
    withExtendedLifetime(listener) {}
  }

  @Test(
    "Given socket(2) failing with EMFILE or ENFILE, then the probe's reason says file descriptors ran out")
  func outOfFileDescriptors() {
    #expect(ProbeSocketFailure.reason(EMFILE).hasPrefix("out of file descriptors (EMFILE"))
    #expect(ProbeSocketFailure.reason(EMFILE).contains("probes.max_in_flight"))
    #expect(ProbeSocketFailure.reason(ENFILE).hasPrefix("out of file descriptors (ENFILE"))
    #expect(ProbeSocketFailure.reason(EACCES).hasPrefix("cannot open a socket: "))
  }

  @Test("Given the cap asked for, then it is kept within half the file-descriptor soft limit (at least 16)")
  func capWithinTheFileLimit() {
    #expect(HTTPProber.boundedMaxInFlight(4_096, softLimit: 20_000) == 4_096)
    #expect(HTTPProber.boundedMaxInFlight(4_096, softLimit: 1_024) == 512)
    #expect(HTTPProber.boundedMaxInFlight(4_096, softLimit: 20) == 16)
    #expect(HTTPProber.boundedMaxInFlight(0, softLimit: nil) == 1)
    #expect(HTTPProber(laneCount: 2, maxInFlight: 3).maxInFlight == 3)
  }

  @Test("Given a soft file-descriptor limit below the hard one, when raised at start, then soft equals hard")
  func raiseToHard() throws {
    let before = try #require(FileDescriptorLimit.current())
    let after = try #require(FileDescriptorLimit.raiseToHard())
    #expect(after.hard == before.hard)
    if before.hard != UInt64.max { #expect(after.soft == before.hard) }
    #expect(after.soft >= before.soft)
  }

  @Test(
    "Given probes.max_in_flight, then the prober's cap is that number (the prober's default when left out); 0 is a problem"
  )
  func configurationKey() throws {
    let example = try String(
      contentsOf: ConfigTests.examples.appendingPathComponent("two-region.yaml"), encoding: .utf8)
    #expect(try SwitchboardConfig.parse(yaml: example).probeMaxInFlight == nil)
    #expect(EngineSettings(config: try SwitchboardConfig.parse(yaml: example)).probeMaxInFlight == nil)
    let capped = example + "probes:\n  max_in_flight: 100\n"
    #expect(EngineSettings(config: try SwitchboardConfig.parse(yaml: capped)).probeMaxInFlight == 100)
    let problems = ConfigValidator.validate(yaml: example + "probes:\n  max_in_flight: 0\n")
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.message.contains("probes.max_in_flight") == true, "\(problems)")
  }

  @Test(
    "Given probes refused for want of a slot, when /metrics renders, then probes_without_slot_total counts them by kind"
  )
  func capacityMetric() async {
    let metrics = SwitchboardMetrics()
    metrics.watchProbeCapacity { (skipped: 7, refused: 2) }
    let text = await metrics.renderText()
    #expect(text.contains("# TYPE switchboard_probes_without_slot_total counter\n"))
    #expect(Exposition.value(text, #"switchboard_probes_without_slot_total{kind="periodic"}"#) == 7)
    #expect(Exposition.value(text, #"switchboard_probes_without_slot_total{kind="one-shot"}"#) == 2)
  }
}
