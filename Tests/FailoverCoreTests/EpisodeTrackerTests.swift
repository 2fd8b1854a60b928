import FailoverCore
import Foundation
import Testing

@Suite("EpisodeTracker: one event per episode of identical blocked decisions")
struct EpisodeTrackerTests {
  typealias F = Fixtures

  func decide(_ eastHealth: HealthStatus, overrides: [Override] = [], at: Date) -> Decision {
    Decider.decide(
      DecisionInput(
        service: F.service(), routing: .single(F.api, F.east),
        health: [F.east: F.health(eastHealth), F.west: F.health(.healthy, region: F.west)],
        overrides: overrides,
        now: at))
  }

  @Test(
    "Given a block, when the same blocked decision repeats every tick, then only the first produces an event")
  func oneEventPerEpisode() {
    var tracker = EpisodeTracker()
    let block = F.override(.block)
    let events = (0..<10).compactMap {
      tracker.admit(decide(.unhealthy, overrides: [block], at: F.t0 + Double($0)))
    }
    #expect(events.count == 1)
    #expect(events.first?.kind == .decisionBlocked)
  }

  @Test(
    "Given an episode that ended with recovery, when the block happens again, then a new event is produced")
  func newEpisodeAfterNoAction() {
    var tracker = EpisodeTracker()
    let block = F.override(.block)
    #expect(tracker.admit(decide(.unhealthy, overrides: [block], at: F.t0 + 1)) != nil)
    #expect(tracker.admit(decide(.healthy, overrides: [block], at: F.t0 + 2)) == nil)
    #expect(tracker.admit(decide(.unhealthy, overrides: [block], at: F.t0 + 3)) != nil)
  }

  @Test("Given a blocked episode, when the blocker changes, then the change produces an event")
  func differentBlockerIsNewEpisode() {
    var tracker = EpisodeTracker()
    let block = F.override(.block)
    let freeze = F.override(.freeze, scope: .global, createdAt: F.t0 + 5, id: "ov-2")
    #expect(tracker.admit(decide(.unhealthy, overrides: [block], at: F.t0 + 1)) != nil)
    #expect(tracker.admit(decide(.unhealthy, overrides: [block, freeze], at: F.t0 + 6)) != nil)
  }
}
