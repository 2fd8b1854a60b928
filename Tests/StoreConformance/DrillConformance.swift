import FailoverCore
import Foundation
import Testing

/// Saving and reading drills and their runs (`DrillStore`).
enum DrillConformance {
  static func drill(_ id: String, at seconds: Double) -> Drill {
    Drill(
      id: id, subject: .service("api.example.com"), targetRegion: "us-west-2", mode: .live, holdSeconds: 600,
      objectiveSeconds: 120, schedule: .recurring(try! CronExpression("0 10 * * TUE"), zone: "Europe/Berlin"),
      guardRails: DrillGuardRails(blockedDates: ["2026-12-24"], outcomeAlarms: ["api-errors"]),
      createdBy: "alice", reason: "quarterly practice", createdAt: StoreFixture.at(seconds))
  }

  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given two saved drills, when the first is saved again cancelled, then it is replaced in place, reads back "
        + "equal, and every save appended its events"
    ) { backend in
      let store = try await backend.makeStore()
      let first = drill("d-1", at: 0)
      let second = drill("d-2", at: 10)
      try await store.saveDrill(first, events: [StoreFixture.event(.drillCreated, at: 0)])
      try await store.saveDrill(second, events: [StoreFixture.event(.drillCreated, at: 10)])
      var cancelled = first
      cancelled.state = .cancelled
      cancelled.stateReason = "Cancelled by bob: freeze week"
      cancelled.nextRunAt = nil
      try await store.saveDrill(cancelled, events: [StoreFixture.event(.drillCancelled, at: 20)])

      #expect(try await store.drills() == [cancelled, second])
      #expect(try await store.drill(id: "d-2") == second)
      #expect(try await store.drill(id: "d-9") == nil)
      #expect(
        try await store.events(since: .distantPast, limit: 10).map(\.kind) == [
          .drillCreated, .drillCreated, .drillCancelled,
        ])
    },
    StoreConformanceCheck(
      "Given runs of two drills, when one ends, then runs list newest first per drill, only the unfinished one is "
        + "running, and a run reads back with its timeline and measured times"
    ) { backend in
      let store = try await backend.makeStore()
      let one = drill("d-1", at: 0)
      let two = drill("d-2", at: 0)
      var first = DrillRun(id: "r-1", drill: one, scheduledAt: StoreFixture.at(100), at: StoreFixture.at(100))
      var move = DrillMove(service: "api.example.com", fromRegion: "us-east-1", toRegion: "us-west-2")
      var leg = DrillLeg(workflowID: "wf-1", decidedAt: StoreFixture.at(100))
      leg.verifiedAt = StoreFixture.at(131)
      leg.outcome = "succeeded"
      move.failover = leg
      first.moves = [move]
      first.note("failover_started", "moving", at: StoreFixture.at(100))
      let second = DrillRun(
        id: "r-2", drill: two, scheduledAt: StoreFixture.at(200), at: StoreFixture.at(200))
      let third = DrillRun(id: "r-3", drill: one, scheduledAt: StoreFixture.at(300), at: StoreFixture.at(300))
      try await store.saveRun(first, events: [StoreFixture.event(.drillStarted, at: 100)])
      try await store.saveRun(second, events: [])
      try await store.saveRun(third, events: [])
      first.end(.succeeded, "moved and back", at: StoreFixture.at(800))
      try await store.saveRun(first, events: [StoreFixture.event(.drillFinished, at: 800)])

      #expect(try await store.drillRuns(drillID: "d-1", limit: 10).map(\.id) == ["r-3", "r-1"])
      #expect(try await store.drillRuns(drillID: nil, limit: 2).map(\.id) == ["r-3", "r-2"])
      #expect(try await store.runningDrillRuns().map(\.id) == ["r-2", "r-3"])
      let read = try await store.drillRun(id: "r-1")
      #expect(read == first)
      #expect(read?.moves.first?.failover?.recoverySeconds == 31)
      #expect(read?.objectiveMet == true)
      #expect(try await store.drillRun(id: "r-9") == nil)
    },
  ]
}
