import FailoverCore
import Foundation
import Testing

/// The journal's exactly-once rules (`WorkflowJournal`).
enum JournalConformance {
  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given a begun workflow, when it is begun again, then it and its events are recorded once"
    ) { backend in
      let store = try await backend.makeStore()
      let plan = StoreFixture.plan("wf-1")

      try await store.begin(plan, events: [StoreFixture.event(.workflowStarted, at: 0)])
      try await store.begin(plan, events: [StoreFixture.event(.workflowStarted, at: 5)])

      #expect(try await store.unfinishedWorkflows() == [plan])
      #expect(try await store.lastEventSeq() == 1)
    },
    StoreConformanceCheck(
      "Given a begun workflow, when steps are appended and it succeeds, then the steps, events, transition and "
        + "routing state are recorded"
    ) { backend in
      let store = try await backend.makeStore()
      let plan = StoreFixture.plan("wf-1")
      try await store.begin(plan, events: [StoreFixture.event(.workflowStarted, at: 0)])
      let started = StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .started, at: 1)
      let finished = StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .finished, at: 2)

      try await store.append(started, events: [StoreFixture.event(.workflowStepStarted, at: 1)])
      try await store.append(finished, events: [StoreFixture.event(.workflowStepFinished, at: 2)])
      let timings = WorkflowTimings(decidedAt: StoreFixture.at(0), finishedAt: StoreFixture.at(60))
      try await store.finish(
        "wf-1", outcome: .succeeded, timings: timings,
        events: [StoreFixture.event(.workflowSucceeded, at: 60)])

      #expect(try await store.entries(workflowID: "wf-1") == [started, finished])
      #expect(try await store.unfinishedWorkflows().isEmpty)
      let kinds = try await store.events(since: StoreFixture.t0, limit: 10).map(\.kind)
      #expect(kinds == [.workflowStarted, .workflowStepStarted, .workflowStepFinished, .workflowSucceeded])
      #expect(try await store.routingState(service: "api.example.com") == plan.plan.to)
      #expect(
        try await store.transitions(since: StoreFixture.t0) == [
          Transition(
            service: "api.example.com", from: plan.plan.from, to: plan.plan.to, trigger: .automatic,
            at: StoreFixture.at(60))
        ])
      let detail = try #require(try await store.workflow(id: "wf-1"))
      #expect(detail.record.state == .succeeded)
      #expect(detail.record.outcome == .succeeded)
      #expect(detail.record.timings == timings)
      #expect(detail.record.finishedAt == StoreFixture.at(60))
      #expect(try await store.verifyChain().isIntact)
    },
    StoreConformanceCheck(
      "Given a begun workflow, when it fails, then the routing state is kept and no transition is recorded"
    ) { backend in
      let store = try await backend.makeStore()
      try await store.begin(StoreFixture.plan("wf-1"), events: [])
      let outcome = WorkflowOutcome.failed(step: .changeDNS, reason: "Route53 refused the change.")

      try await store.finish(
        "wf-1", outcome: outcome,
        timings: WorkflowTimings(decidedAt: StoreFixture.at(0), finishedAt: StoreFixture.at(9)),
        events: [StoreFixture.event(.workflowFailed, at: 9)])

      #expect(try await store.routingState(service: "api.example.com") == nil)
      #expect(try await store.transitions(since: .distantPast).isEmpty)
      #expect(try await store.workflow(id: "wf-1")?.record.state == .failed)
      #expect(try await store.workflow(id: "wf-1")?.record.outcome == outcome)
    },
    StoreConformanceCheck(
      "Given a finished workflow, when it is finished again or given a step, then the same outcome is a no-op and "
        + "the rest is refused, with no event added"
    ) { backend in
      let store = try await backend.makeStore()
      try await store.begin(StoreFixture.plan("wf-1"), events: [])
      let timings = WorkflowTimings(decidedAt: StoreFixture.at(0), finishedAt: StoreFixture.at(9))
      try await store.finish(
        "wf-1", outcome: .succeeded, timings: timings, events: [StoreFixture.event(at: 9)])

      try await store.finish(
        "wf-1", outcome: .succeeded, timings: timings, events: [StoreFixture.event(at: 10)])
      await #expect(throws: (any Error).self) {
        try await store.finish(
          "wf-1", outcome: .failed(step: .verifyRecord, reason: "late"), timings: timings,
          events: [StoreFixture.event(at: 11)])
      }
      await #expect(throws: (any Error).self) {
        try await store.append(
          StoreFixture.entry("wf-1", index: 2, .changeDNS, .started, at: 12),
          events: [StoreFixture.event(at: 12)])
      }

      #expect(try await store.lastEventSeq() == 1)
      #expect(try await store.transitions(since: .distantPast).count == 1)
      #expect(try await store.workflow(id: "wf-1")?.record.outcome == .succeeded)
    },
    StoreConformanceCheck(
      "Given no workflow, when a step or an ending is written for it, then both are refused and leave no event"
    ) { backend in
      let store = try await backend.makeStore()

      await #expect(throws: (any Error).self) {
        try await store.append(
          StoreFixture.entry("ghost", index: 0, .checkTargetHealth, .started, at: 1),
          events: [StoreFixture.event(.workflowStepStarted, at: 1)])
      }
      await #expect(throws: (any Error).self) {
        try await store.finish(
          "ghost", outcome: .succeeded, timings: WorkflowTimings(decidedAt: StoreFixture.at(0)),
          events: [StoreFixture.event(.workflowSucceeded, at: 2)])
      }

      #expect(try await store.lastEventSeq() == 0)
      #expect(try await store.entries(workflowID: "ghost").isEmpty)
    },
    StoreConformanceCheck(
      "Given workflows begun in turn, when some are unfinished, then they are listed oldest first and a resumed one "
        + "completes exactly once"
    ) { backend in
      let store = try await backend.makeStore()
      let first = StoreFixture.plan("wf-1", at: 0)
      let second = StoreFixture.plan("wf-2", service: "web.example.com", at: 10)
      let third = StoreFixture.plan("wf-3", service: "www.example.com", at: 20)
      let step = StoreFixture.entry("wf-1", index: 0, .checkTargetHealth, .finished, at: 1)
      try await store.begin(first, events: [StoreFixture.event(.workflowStarted, at: 0)])
      try await store.append(step, events: [StoreFixture.event(.workflowStepFinished, at: 1)])
      try await store.begin(second, events: [StoreFixture.event(.workflowStarted, at: 10)])
      try await store.begin(third, events: [])
      try await store.finish(
        "wf-3", outcome: .succeeded, timings: WorkflowTimings(decidedAt: StoreFixture.at(20)), events: [])

      #expect(try await store.unfinishedWorkflows() == [first, second])
      #expect(try await store.inFlightWorkflow(service: "api.example.com")?.entries == [step])
      #expect(try await store.inFlightWorkflow(service: "www.example.com") == nil)

      try await store.begin(first, events: [StoreFixture.event(.workflowStarted, at: 20)])
      try await store.finish(
        "wf-1", outcome: .succeeded,
        timings: WorkflowTimings(decidedAt: StoreFixture.at(0), finishedAt: StoreFixture.at(30)),
        events: [StoreFixture.event(.workflowSucceeded, at: 30)])
      try await store.finish(
        "wf-1", outcome: .succeeded,
        timings: WorkflowTimings(decidedAt: StoreFixture.at(0), finishedAt: StoreFixture.at(30)),
        events: [StoreFixture.event(.workflowSucceeded, at: 31)])

      #expect(try await store.unfinishedWorkflows() == [second])
      #expect(try await store.inFlightWorkflow(service: "api.example.com") == nil)
      #expect(try await store.lastEventSeq() == 4)
      #expect(
        try await store.transitions(since: .distantPast).map(\.service) == [
          "www.example.com", "api.example.com",
        ])
    },
  ]
}
