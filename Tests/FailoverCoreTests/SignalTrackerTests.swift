import FailoverCore
import Foundation
import Testing

@Suite("SignalTracker: Route53 thresholds with hysteresis")
struct SignalTrackerTests {
  let key = SignalKey(service: "api.example.com", region: "us-east-1", name: "probe")

  func observation(_ status: HealthStatus, _ second: Double, keep: Bool = false) -> Observation {
    Observation(
      signal: key, status: status, latency: 0.01, reason: "sample \(status.rawValue)",
      at: Fixtures.t0.addingTimeInterval(second), keepsLastVerdict: keep)
  }

  @Test("Given a new tracker, then it is unknown until the success threshold is reached")
  func unknownUntilFirstVerdict() {
    var tracker = SignalTracker(key: key, failureThreshold: 3, successThreshold: 2)
    #expect(tracker.health.status == .unknown)
    #expect(tracker.record(observation(.healthy, 1)).status == .unknown)
    #expect(tracker.record(observation(.healthy, 2)).status == .healthy)
  }

  @Test(
    "Given a healthy tracker with threshold 3, then two failures keep it healthy and the third makes it unhealthy"
  )
  func failureThreshold() {
    var tracker = SignalTracker(key: key, failureThreshold: 3, successThreshold: 1)
    tracker.record(observation(.healthy, 0))
    tracker.record(observation(.unhealthy, 1))
    #expect(tracker.record(observation(.unhealthy, 2)).status == .healthy)
    let health = tracker.record(observation(.unhealthy, 3))
    #expect(health.status == .unhealthy)
    #expect(health.since == Fixtures.t0.addingTimeInterval(1))
    #expect(health.reason.contains("3 consecutive failures"))
  }

  @Test("Given an unhealthy tracker, then recovery needs the success threshold in a row (hysteresis)")
  func successThreshold() {
    var tracker = SignalTracker(key: key, failureThreshold: 1, successThreshold: 3)
    tracker.record(observation(.unhealthy, 0))
    tracker.record(observation(.healthy, 1))
    tracker.record(observation(.healthy, 2))
    tracker.record(observation(.unhealthy, 3))
    tracker.record(observation(.healthy, 4))
    #expect(tracker.record(observation(.healthy, 5)).status == .unhealthy)
    #expect(tracker.record(observation(.healthy, 6)).status == .healthy)
  }

  @Test("Given a healthy tracker, then a slow success makes it degraded and a fast one healthy again")
  func degraded() {
    var tracker = SignalTracker(key: key, failureThreshold: 3, successThreshold: 1)
    tracker.record(observation(.healthy, 0))
    #expect(tracker.record(observation(.degraded, 1)).status == .degraded)
    #expect(tracker.record(observation(.healthy, 2)).status == .healthy)
  }

  @Test(
    "Given an inconclusive sample meaning last-known, then the verdict is kept; a plain unknown resets it")
  func unknownSamples() {
    var tracker = SignalTracker(key: key, failureThreshold: 1, successThreshold: 1)
    tracker.record(observation(.healthy, 0))
    #expect(tracker.record(observation(.unknown, 1, keep: true)).status == .healthy)
    #expect(tracker.record(observation(.unknown, 2)).status == .unknown)
  }
}
