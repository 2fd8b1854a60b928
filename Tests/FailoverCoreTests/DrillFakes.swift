import FailoverCore
import Foundation

/// Drills, runs and their events in memory.
actor MemoryDrillStore: DrillStore {
  var drillList: [Drill] = []
  var runs: [DrillRun] = []
  var events: [Event] = []

  func saveDrill(_ drill: Drill, events: [Event]) {
    if let index = drillList.firstIndex(where: { $0.id == drill.id }) {
      drillList[index] = drill
    } else {
      drillList.append(drill)
    }
    self.events += events
  }
  func drills() -> [Drill] { drillList }
  func drill(id: String) -> Drill? { drillList.first { $0.id == id } }
  func saveRun(_ run: DrillRun, events: [Event]) {
    if let index = runs.firstIndex(where: { $0.id == run.id }) { runs[index] = run } else { runs.append(run) }
    self.events += events
  }
  func drillRuns(drillID: String?, limit: Int) -> [DrillRun] {
    Array(runs.filter { drillID == nil || $0.drillID == drillID }.reversed().prefix(limit))
  }
  func drillRun(id: String) -> DrillRun? { runs.first { $0.id == id } }
  func runningDrillRuns() -> [DrillRun] { runs.filter { $0.state == .running } }
}

/// An engine whose moves become workflows the test finishes by hand, with the routing they cause.
actor FakeDrillEngine: DrillEngine, WorkflowQueries {
  let clock: ManualClock
  var service = Fixtures.service()
  var routing: RoutingState = .single(Fixtures.api, Fixtures.east)
  var targetHealth: HealthStatus = .healthy
  var freeze: String?
  var moves: [(id: String, to: RegionID, failback: Bool)] = []
  var records: [String: WorkflowRecord] = [:]
  var refuseMoves = false

  init(clock: ManualClock) { self.clock = clock }

  func setTargetHealth(_ status: HealthStatus) { targetHealth = status }
  func setRunbook(_ runbook: Runbook) { service.runbook = runbook }
  func setRouting(_ state: RoutingState) { routing = state }

  func drillSituation(service id: ServiceID, target: RegionID) -> DrillSituation? {
    DrillSituation(
      service: id, primary: service.primary, activeRegion: routing.activeRegion, targetHealth: targetHealth,
      freeze: freeze, workflowInFlight: records.values.first { $0.state == .running }?.id,
      verdict: "Initiate: \(target) is \(targetHealth.rawValue).")
  }
  func drillServices() -> (services: [Service], routing: [ServiceID: RoutingState]) {
    ([service], [service.id: routing])
  }
  func drillMove(service id: ServiceID, to region: RegionID, actor: String, reason: String, failback: Bool)
    throws
    -> String
  {
    if refuseMoves || records.values.contains(where: { $0.state == .running }) {
      throw DrillError("A workflow is already moving \(id).")
    }
    let workflowID = "wf-\(moves.count + 1)"
    moves.append((workflowID, region, failback))
    let plan = WorkflowPlan(
      id: workflowID,
      plan: FailoverPlan(
        service: id, from: routing, to: .single(id, region), trigger: .manual, actor: actor, reason: reason),
      service: service, steps: WorkflowStep.steps(for: .record), decidedAt: clock.now, explanation: reason)
    records[workflowID] = WorkflowRecord(
      seq: Int64(moves.count), plan: plan, state: .running, outcome: nil,
      timings: WorkflowTimings(decidedAt: clock.now), createdAt: clock.now, finishedAt: nil)
    return workflowID
  }

  /// Ends the running workflow: verified `seconds` after its decision.
  func finishWorkflow(after seconds: Double, succeeded: Bool = true) {
    guard var record = records.values.first(where: { $0.state == .running }) else { return }
    let decided = record.createdAt
    record.state = succeeded ? .succeeded : .failed
    record.outcome = succeeded ? .succeeded : .failed(step: .changeDNS, reason: "refused")
    record.timings = WorkflowTimings(
      decidedAt: decided, dnsChangeAcceptedAt: decided.addingTimeInterval(1),
      inSyncAt: decided.addingTimeInterval(seconds - 1), verifiedAt: decided.addingTimeInterval(seconds),
      finishedAt: decided.addingTimeInterval(seconds))
    record.finishedAt = record.timings?.finishedAt
    records[record.id] = record
    if succeeded { routing = record.plan.plan.to }
  }

  func workflows(service: ServiceID?, before: Int64?, limit: Int) -> WorkflowPage {
    WorkflowPage(workflows: records.values.sorted { $0.seq > $1.seq }, nextCursor: nil)
  }
  func workflow(id: String) -> WorkflowDetail? { records[id].map { WorkflowDetail(record: $0, entries: []) } }
  func inFlightWorkflow(service: ServiceID) -> WorkflowDetail? { nil }
}

/// Alarm states the test sets.
final class FakeDrillAlarms: AlarmSource, @unchecked Sendable {
  private let lock = NSLock()
  private var states: [String: AlarmState] = [:]
  func set(_ name: String, _ state: AlarmState) { lock.withLock { states[name] = state } }
  func alarmStates(names: [String]) async throws -> [String: AlarmReading] {
    lock.withLock {
      var found: [String: AlarmReading] = [:]
      for name in names {
        if let state = states[name] {
          found[name] = AlarmReading(name: name, state: state, reason: "set by the test", updatedAt: nil)
        }
      }
      return found
    }
  }
}
