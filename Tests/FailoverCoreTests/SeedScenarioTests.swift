import FailoverCore
import Foundation
import Testing

@Suite("The seed workflow end to end: probes → health → decision → workflow")
struct SeedScenarioTests {
  typealias F = Fixtures

  @Test(
    "Given the seed's two regions probed every second, when the primary answers 503 three times, then traffic moves to the secondary and the timings are measured"
  )
  func primaryFailsOver() async throws {
    let harness = Harness()
    var model = HealthModel(services: [harness.service], regions: [Region(id: F.east), Region(id: F.west)])
    let eastKey = SignalKey(service: F.api, region: F.east, name: F.probe(9001).name)
    let westKey = SignalKey(service: F.api, region: F.west, name: F.probe(9002).name)
    guard case .httpProbe(let eastProbe) = F.probe(9001), case .httpProbe(let westProbe) = F.probe(9002)
    else {
      Issue.record("fixture probes are HTTP probes")
      return
    }
    var routing = RoutingState.single(F.api, F.east)
    var tracker = EpisodeTracker()
    var decisions: [Decision] = []
    var decisionEvents: [Event] = []
    let healthy = Data(#"{"status":"healthy","region":"us-east-1"}"#.utf8)
    // Given: both regions healthy for 5 s, then the primary answers 503.
    for second in 0..<10 {
      let now = harness.clock.now
      let eastResult: HTTPProbeResult =
        second < 5
        ? .response(status: 200, body: healthy, latency: 0.01)
        : .response(status: 503, body: Data(), latency: 0.01)
      model.record(ProbeVerdict.observe(eastResult, spec: eastProbe, key: eastKey, at: now))
      model.record(
        ProbeVerdict.observe(
          .response(status: 200, body: healthy, latency: 0.01), spec: westProbe, key: westKey, at: now))
      let decision = Decider.decide(
        DecisionInput(
          service: harness.service, routing: routing, health: model.health(service: F.api, at: now), now: now)
      )
      decisions.append(decision)
      if let event = tracker.admit(decision) { decisionEvents.append(event) }
      if decision.plan != nil { break }
      harness.clock.advance(1)
    }
    // Then: unknown for 2 s (success threshold 3), healthy, and the third 503 (t=7) initiates.
    let decision = try #require(decisions.last)
    let plan = try #require(decision.plan)
    #expect(decisions.count == 8)
    #expect(plan.toRegion == F.west)
    #expect(plan.firstUnhealthyAt == F.t0 + 5)
    #expect(decision.explanation.contains("HTTP 503"))
    // When: the workflow runs.
    let workflow = try #require(WorkflowPlan(id: "wf-seed", decision: decision, service: harness.service))
    let result = await harness.runner.start(workflow, events: decisionEvents)
    #expect(result.outcome == .succeeded)
    #expect(await harness.journal.events.first?.kind == .decisionInitiated)
    routing = plan.to
    #expect(await harness.recordValues() == ["192.0.2.11"])
    #expect(result.timings.secondsSinceStart["decided"] == 2)
    #expect(result.timings.secondsSinceStart["verified"] == 2)
    #expect(await harness.notifier.delivered.last?.timings["verified"] == 2)
    // And: the primary recovering does not move traffic back (failback is manual by default).
    let after = Decider.decide(
      DecisionInput(
        service: harness.service, routing: routing,
        health: [F.east: F.health(.healthy), F.west: F.health(.healthy, region: F.west)],
        now: harness.clock.now))
    #expect(after.blocker == .rule(.manualFailback))
  }
}
