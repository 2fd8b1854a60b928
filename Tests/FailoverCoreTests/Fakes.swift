import FailoverCore
import Foundation

/// A clock that moves only when told.
final class ManualClock: Clock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date
  init(_ start: Date = Fixtures.t0) { current = start }
  var now: Date { lock.withLock { current } }
  func advance(_ seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A sleeper that advances the manual clock instead of waiting, and remembers every delay.
final class ManualSleeper: Sleeper, @unchecked Sendable {
  private let lock = NSLock()
  let clock: ManualClock
  private(set) var delays: [Double] = []
  init(clock: ManualClock) { self.clock = clock }
  func sleep(seconds: Double) async throws {
    lock.withLock { delays.append(seconds) }
    clock.advance(seconds)
  }
  var recorded: [Double] { lock.withLock { delays } }
}

/// Jitter that always returns the same fraction.
struct FixedJitter: JitterSource {
  var value: Double
  func fraction() -> Double { value }
}

struct FakeError: Error, CustomStringConvertible {
  var description: String
}

/// An in-memory Route53: one zone, records by name, changes that stay PENDING for a number of polls.
actor FakeDNS: DNSProvider {
  var records: [DNSRecord] = []
  var submissions: [DNSChangeBatch] = []
  var failSubmits = 0
  /// Thrown by every submit, when set (a server's refusal).
  var refusal: DNSProviderError?
  var pendingPolls = 0
  var statusPolls = 0
  var zoneLookups = 0
  private var changes: [String: Int] = [:]
  let clock: ManualClock

  init(clock: ManualClock, records: [DNSRecord] = []) {
    self.clock = clock
    self.records = records
  }

  func configure(failSubmits: Int = 0, pendingPolls: Int = 0) {
    self.failSubmits = failSubmits
    self.pendingPolls = pendingPolls
  }

  func hostedZoneID(forDomain domain: String) async throws -> String {
    zoneLookups += 1
    guard domain == "example.com" else { throw FakeError(description: "no zone for \(domain)") }
    return "Z123"
  }

  func records(zoneID: String, name: String) async throws -> [DNSRecord] {
    records.filter { $0.name == name }
  }

  func refuse(_ refusal: DNSProviderError) { self.refusal = refusal }

  func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    if let refusal { throw refusal }
    if failSubmits > 0 {
      failSubmits -= 1
      throw FakeError(description: "Throttling: rate exceeded")
    }
    submissions.append(batch)
    for change in batch.changes {
      records.removeAll { $0.name == change.record.name && $0.setIdentifier == change.record.setIdentifier }
      if change.action != .delete { records.append(change.record) }
    }
    let id = "C\(submissions.count)"
    changes[id] = pendingPolls
    return DNSChangeReceipt(id: id, status: .pending, submittedAt: clock.now)
  }

  func changeStatus(id: String) async throws -> DNSChangeStatus {
    statusPolls += 1
    let remaining = changes[id] ?? 0
    changes[id] = remaining - 1
    return remaining > 0 ? .pending : .inSync
  }
}

actor FakeMetrics: MetricsProvider {
  var published: [MetricDatum] = []
  var failures = 0
  func fail(_ count: Int) { failures = count }
  func publish(namespace: String, _ data: [MetricDatum]) async throws {
    if failures > 0 {
      failures -= 1
      throw FakeError(description: "metrics down")
    }
    published += data
  }
}

actor FakeNotifier: Notifier {
  var delivered: [FailoverNotification] = []
  var failures = 0
  func fail(_ count: Int) { failures = count }
  func notify(_ notification: FailoverNotification) async throws {
    if failures > 0 {
      failures -= 1
      throw FakeError(description: "webhook answered 502")
    }
    delivered.append(notification)
  }
}

actor FakeHealth: TargetHealthSource {
  var verdicts: [RegionID: HealthStatus] = [:]
  var unknownReads: [RegionID: Int] = [:]
  func set(_ region: RegionID, _ status: HealthStatus) { verdicts[region] = status }
  /// The next `count` reads of the region say unknown (no probe has reported yet).
  func unknown(_ region: RegionID, reads count: Int) { unknownReads[region] = count }
  func health(service: ServiceID, region: RegionID) async throws -> Health {
    if let remaining = unknownReads[region], remaining > 0 {
      unknownReads[region] = remaining - 1
      return Health(status: .unknown, reason: "no probe has reported yet")
    }
    return Health(status: verdicts[region] ?? .healthy, reason: "fake says \(verdicts[region] ?? .healthy)")
  }
}

actor FakeRoutingEndpoint: RoutingEndpointPublisher {
  var states: [ServiceID: RoutingState] = [:]
  var publishes = 0
  func publish(_ state: RoutingState) async throws {
    publishes += 1
    states[state.service] = state
  }
  func published(service: ServiceID) async throws -> RoutingState? { states[service] }
}

/// An in-memory journal that can "crash" (refuse every write) after a given number of writes.
actor InMemoryJournal: WorkflowJournal {
  var plans: [String: WorkflowPlan] = [:]
  var order: [String] = []
  var stepEntries: [StepJournalEntry] = []
  var outcomes: [String: WorkflowOutcome] = [:]
  var timings: [String: WorkflowTimings] = [:]
  var events: [Event] = []
  var writes = 0
  var crashAfterWrites: Int?

  func crash(after writes: Int?) { crashAfterWrites = writes.map { self.writes + $0 } }

  private func write() throws {
    if let limit = crashAfterWrites, writes >= limit { throw FakeError(description: "process killed") }
    writes += 1
  }

  func begin(_ workflow: WorkflowPlan, events: [Event]) async throws {
    try write()
    guard plans[workflow.id] == nil else { return }
    plans[workflow.id] = workflow
    order.append(workflow.id)
    self.events += events
  }

  func append(_ entry: StepJournalEntry, events: [Event]) async throws {
    try write()
    stepEntries.append(entry)
    self.events += events
  }

  func finish(_ workflowID: String, outcome: WorkflowOutcome, timings: WorkflowTimings, events: [Event])
    async throws
  {
    try write()
    outcomes[workflowID] = outcome
    self.timings[workflowID] = timings
    self.events += events
  }

  func unfinishedWorkflows() async throws -> [WorkflowPlan] {
    order.filter { outcomes[$0] == nil }.compactMap { plans[$0] }
  }

  func entries(workflowID: String) async throws -> [StepJournalEntry] {
    stepEntries.filter { $0.workflowID == workflowID }
  }
}
