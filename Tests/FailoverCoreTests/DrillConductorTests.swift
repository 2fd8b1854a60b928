import FailoverCore
import Foundation
import Testing

@Suite("Drill conductor: start, skip, hold, abort, fail back, resume")
struct DrillConductorTests {
  let clock = ManualClock(instant("2026-06-09T07:00:00Z"))
  let store = MemoryDrillStore()
  let alarms = FakeDrillAlarms()
  let engine: FakeDrillEngine
  let counter = IDCounter()

  init() { engine = FakeDrillEngine(clock: clock) }

  final class IDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func make() -> String {
      lock.withLock {
        next += 1; return "id-\(next)"
      }
    }
  }

  func conductor(deadline: Double = 300) -> DrillConductor {
    let counter = self.counter
    return DrillConductor(
      ports: DrillConductor.Ports(
        store: store, workflows: engine, engine: engine, alarms: alarms, clock: clock),
      defaults: DrillDefaults(missedStartDeadline: deadline), makeID: { counter.make() })
  }

  func draft(
    mode: DrillMode = .live, at start: String = "2026-06-09T08:00:00Z",
    rails: DrillGuardRails = DrillGuardRails()
  ) -> DrillDraft {
    DrillDraft(
      subject: .service(Fixtures.api), targetRegion: Fixtures.west, mode: mode, holdSeconds: 600,
      objectiveSeconds: 60, schedule: .once(instant(start)), guardRails: rails)
  }

  func onlyRun() async -> DrillRun? { await store.runs.last }

  @Test(
    "Given a live drill, when it runs, then traffic moves, holds for its hold, moves back, and the report measures it"
  )
  func liveDrill() async throws {
    let conductor = conductor()
    let drill = try await conductor.create(draft(), actor: "alice", reason: "quarterly practice")
    clock.advance(3600)
    try await conductor.tick()
    #expect(await engine.moves.map(\.to) == [Fixtures.west])
    await engine.finishWorkflow(after: 42)
    clock.advance(45)
    try await conductor.tick()
    #expect(await onlyRun()?.phase == .holding)
    // The hold counts from the verified move (42 s after the decision), not from the tick that saw it (45 s).
    let holdEnds = try #require(await onlyRun()?.holdEndsAt)
    #expect(holdEnds == clock.now.addingTimeInterval(600 - 3))
    clock.advance(holdEnds.timeIntervalSince(clock.now) - 1)
    try await conductor.tick()
    #expect(await engine.moves.count == 1)
    clock.advance(1)
    try await conductor.tick()
    #expect(await engine.moves.map(\.to) == [Fixtures.west, Fixtures.east])
    #expect(await engine.moves.last?.failback == true)
    await engine.finishWorkflow(after: 30)
    clock.advance(30)
    try await conductor.tick()
    let run = try #require(await onlyRun())
    #expect(run.state == .succeeded)
    #expect(run.moves.first?.failover?.recoverySeconds == 42)
    #expect(run.moves.first?.failback?.recoverySeconds == 30)
    #expect(run.objectiveMet == true)
    #expect(run.reason.contains("42.0 s"))
    #expect(run.timeline.map(\.step).contains("hold_started"))
    #expect(await store.drill(id: drill.id)?.state == .succeeded)
    #expect(await store.events.map(\.kind) == [.drillCreated, .drillStarted, .drillFinished])
    let finished = try #require(await store.events.last)
    #expect(finished.details["objective_met"] == .bool(true))
    #expect(finished.details["recovery_seconds"] == .object(["api.example.com": .double(42)]))
  }

  @Test(
    "Given a blocking alarm in ALARM at the start, when the drill is due, then it is skipped with that reason and nothing moves"
  )
  func blockingAlarmSkips() async throws {
    alarms.set("deploy-in-progress", .alarm)
    let conductor = conductor()
    _ = try await conductor.create(
      draft(rails: DrillGuardRails(blockingAlarms: ["deploy-in-progress"])), actor: "alice",
      reason: "practice")
    clock.advance(3600)
    try await conductor.tick()
    let run = try #require(await onlyRun())
    #expect(run.state == .skipped)
    #expect(run.reason.contains("deploy-in-progress is in ALARM"))
    #expect(await engine.moves.isEmpty)
  }

  @Test(
    "Given an outcome alarm, when it goes to ALARM during the hold, then the drill fails back at once and says which alarm and when"
  )
  func outcomeAlarmAborts() async throws {
    alarms.set("api-5xx", .ok)
    let conductor = conductor()
    _ = try await conductor.create(
      draft(rails: DrillGuardRails(outcomeAlarms: ["api-5xx"])), actor: "alice", reason: "practice")
    clock.advance(3600)
    try await conductor.tick()
    await engine.finishWorkflow(after: 20)
    try await conductor.tick()
    clock.advance(100)
    alarms.set("api-5xx", .alarm)
    let abortedAt = clock.now
    try await conductor.tick()
    #expect(await engine.moves.last?.failback == true)
    await engine.finishWorkflow(after: 10)
    try await conductor.tick()
    let run = try #require(await onlyRun())
    #expect(run.state == .aborted)
    #expect(run.abortedBy?.name == "alarm:api-5xx")
    #expect(run.abortedBy?.at == abortedAt)
    #expect(run.reason.contains("api-5xx is in ALARM"))
  }

  @Test(
    "Given a drill in its hold, when the target's health becomes unknown (a restart) or unhealthy, then only unhealthy aborts"
  )
  func unknownTargetDoesNotAbort() async throws {
    let conductor = conductor()
    _ = try await conductor.create(draft(), actor: "alice", reason: "practice")
    clock.advance(3600)
    try await conductor.tick()
    await engine.finishWorkflow(after: 20)
    try await conductor.tick()
    await engine.setTargetHealth(.unknown)
    clock.advance(10)
    try await conductor.tick()
    #expect(await onlyRun()?.phase == .holding)
    await engine.setTargetHealth(.unhealthy)
    try await conductor.tick()
    #expect(await onlyRun()?.phase == .failingBack)
    #expect(await onlyRun()?.abortedBy?.name == "target_health")
  }

  @Test(
    "Given traffic already moved back during the hold (automatic failback), when the hold ends, then no failback runs and the drill ends"
  )
  func alreadyBack() async throws {
    let conductor = conductor()
    _ = try await conductor.create(draft(), actor: "alice", reason: "practice")
    clock.advance(3600)
    try await conductor.tick()
    await engine.finishWorkflow(after: 20)
    try await conductor.tick()
    await engine.setRouting(.single(Fixtures.api, Fixtures.east))
    clock.advance(700)
    try await conductor.tick()
    try await conductor.tick()
    #expect(await engine.moves.count == 1)
    #expect(await onlyRun()?.state == .succeeded)
    #expect(await onlyRun()?.timeline.contains { $0.step == "failback_not_needed" } == true)
  }

  @Test("Given a running drill, when an operator aborts it, then it fails back at once and ends aborted")
  func operatorAbort() async throws {
    let conductor = conductor()
    let drill = try await conductor.create(draft(), actor: "alice", reason: "practice")
    clock.advance(3600)
    try await conductor.tick()
    await engine.finishWorkflow(after: 20)
    try await conductor.tick()
    _ = try await conductor.abort(id: drill.id, actor: "bob", reason: "customer demo")
    #expect(await engine.moves.last?.failback == true)
    await engine.finishWorkflow(after: 10)
    try await conductor.tick()
    #expect(await onlyRun()?.state == .aborted)
    #expect(await onlyRun()?.abortedBy?.detail.contains("bob") == true)
  }

  @Test(
    "Given a restart during the hold, when a new conductor ticks from the store, then it still fails back on time"
  )
  func restartDuringHold() async throws {
    _ = try await conductor().create(draft(), actor: "alice", reason: "practice")
    clock.advance(3600)
    try await conductor().tick()
    await engine.finishWorkflow(after: 20)
    try await conductor().tick()
    let holdEnds = try #require(await onlyRun()?.holdEndsAt)
    let restarted = conductor()
    clock.advance(300)
    try await restarted.tick()
    #expect(await engine.moves.count == 1)
    clock.advance(holdEnds.timeIntervalSince(clock.now))
    try await restarted.tick()
    #expect(await engine.moves.last?.failback == true)
    await engine.finishWorkflow(after: 10)
    try await restarted.tick()
    #expect(await onlyRun()?.state == .succeeded)
  }

  @Test(
    "Given a start missed beyond the deadline, when the conductor ticks, then the run is skipped, never late")
  func missedStartDeadline() async throws {
    let conductor = conductor(deadline: 300)
    _ = try await conductor.create(draft(), actor: "alice", reason: "practice")
    clock.advance(3600 + 301)
    try await conductor.tick()
    #expect(await onlyRun()?.state == .skipped)
    #expect(await onlyRun()?.reason.contains("missed-start deadline of 300 s") == true)
    #expect(await engine.moves.isEmpty)
  }

  @Test(
    "Given an hourly drill and a process down for a day, when it ticks again, then one run is skipped and the next is after now"
  )
  func downForADay() async throws {
    let conductor = conductor()
    var hourly = draft()
    hourly.schedule = .recurring(try CronExpression("0 * * * *"), zone: "UTC")
    let drill = try await conductor.create(hourly, actor: "alice", reason: "hourly")
    clock.advance(86400 + 1800)
    try await conductor.tick()
    #expect(await store.runs.count == 1)
    #expect(await onlyRun()?.state == .skipped)
    #expect(await store.drill(id: drill.id)?.nextRunAt == instant("2026-06-10T08:00:00Z"))
  }

  @Test("Given a start missed within the deadline, when the conductor ticks, then the run starts")
  func missedWithinDeadline() async throws {
    let conductor = conductor(deadline: 300)
    _ = try await conductor.create(draft(), actor: "alice", reason: "practice")
    clock.advance(3600 + 299)
    try await conductor.tick()
    #expect(await onlyRun()?.state == .running)
  }

  @Test(
    "Given a paused recurring drill, when an occurrence passes, then it is skipped and the next stays scheduled"
  )
  func pausedSkips() async throws {
    let conductor = conductor()
    var recurring = draft()
    recurring.schedule = .recurring(try CronExpression("0 8 * * *"), zone: "UTC")
    let drill = try await conductor.create(recurring, actor: "alice", reason: "daily")
    _ = try await conductor.setPaused(id: drill.id, true, actor: "bob", reason: "freeze week")
    clock.advance(3600)
    try await conductor.tick()
    #expect(await onlyRun()?.reason == "The schedule is paused.")
    let after = try #require(await store.drill(id: drill.id))
    #expect(after.state == .scheduled)
    #expect(after.nextRunAt == instant("2026-06-10T08:00:00Z"))
  }

  @Test(
    "Given a dry run, when it is due, then it records plan, verdicts and predicted times and moves nothing")
  func dryRun() async throws {
    let conductor = conductor()
    _ = try await conductor.create(draft(mode: .dryRun), actor: "alice", reason: "rehearsal")
    clock.advance(3600)
    try await conductor.tick()
    let run = try #require(await onlyRun())
    #expect(run.state == .succeeded)
    #expect(run.timeline.map(\.step).contains("plan"))
    #expect(run.timeline.map(\.step).contains("verdict"))
    #expect(run.checks.contains { $0.name == "target_health" && $0.passed })
    #expect(await engine.moves.isEmpty)
  }

  @Test(
    "Given a service whose runbook promotes a database, when a dry run is due, then the report lists the promotion as skipped in drills and why"
  )
  func dryRunListsStepsSkippedInDrills() async throws {
    await engine.setRunbook(
      Runbook(
        beforeTraffic: [
          RunbookStep(name: "promote", action: .databasePromote(DatabasePromoteSpec(identifier: "db"))),
          RunbookStep(name: "warm", action: .wait(seconds: 5)),
        ]))
    let conductor = conductor()
    _ = try await conductor.create(draft(mode: .dryRun), actor: "alice", reason: "rehearsal")
    clock.advance(3600)
    try await conductor.tick()
    let run = try #require(await onlyRun())
    #expect(run.stepsSkippedInDrills.count == 1)
    let skipped = try #require(run.stepsSkippedInDrills.first)
    #expect(skipped.contains("before_traffic/promote (database_promote)"), "\(skipped)")
    #expect(skipped.contains("one-way"), "\(skipped)")
  }

  @Test(
    "Given a drill that has started, when it is updated, then the update is refused; a cancelled drill never runs"
  )
  func updateAndCancel() async throws {
    let conductor = conductor()
    let drill = try await conductor.create(draft(), actor: "alice", reason: "practice")
    let cancelled = try await conductor.cancel(id: drill.id, actor: "bob", reason: "not this week")
    #expect(cancelled.state == .cancelled)
    clock.advance(3600)
    try await conductor.tick()
    #expect(await store.runs.isEmpty)
    let second = try await conductor.create(
      draft(at: "2026-06-09T09:00:00Z"), actor: "alice", reason: "again")
    clock.advance(3600)
    try await conductor.tick()
    await #expect(throws: DrillConflict.self) {
      try await conductor.update(id: second.id, draft(at: "2026-06-10T09:00:00Z"), actor: "a", reason: "r")
    }
  }
}
