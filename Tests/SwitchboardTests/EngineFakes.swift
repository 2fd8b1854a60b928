import Configuration
import FailoverCore
import Foundation
import Probing
import Switchboard

// In-memory fakes of the engine's PORTS (DNS, metrics, notifier, store): the AWS and SQLite adapters are
// tested against real peers by their authors.

/// A clock that moves only when told.
final class EngineManualClock: FailoverCore.Clock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date
  init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
  var now: Date { lock.withLock { current } }
  func advance(_ seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A sleeper that returns at once (workflows in decision-timing tests do not wait).
struct InstantSleeper: Sleeper {
  func sleep(seconds: Double) async throws { try Task.checkCancellation() }
}

struct EngineFakeError: Error, CustomStringConvertible {
  var description: String
}

/// An in-memory Route53 zone: records by name; changes are INSYNC at the first poll.
actor EngineFakeDNS: DNSProvider {
  private(set) var records: [DNSRecord]
  private(set) var submissions: [DNSChangeBatch] = []
  private var gate: CheckedContinuation<Void, Never>?
  private var holdSubmits = false

  init(records: [DNSRecord] = []) { self.records = records }

  /// Makes the next submit wait until `release()` (to observe a workflow in flight).
  func hold() { holdSubmits = true }
  func release() {
    holdSubmits = false
    gate?.resume()
    gate = nil
  }

  func hostedZoneID(forDomain domain: String) async throws -> String {
    guard domain == "example.com" else { throw EngineFakeError(description: "no hosted zone for \(domain)") }
    return "Z1"
  }

  func records(zoneID: String, name: String) async throws -> [DNSRecord] {
    records.filter { $0.name == name }
  }

  func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    if holdSubmits { await withCheckedContinuation { gate = $0 } }
    submissions.append(batch)
    for change in batch.changes {
      records.removeAll { $0.name == change.record.name && $0.setIdentifier == change.record.setIdentifier }
      if change.action != .delete { records.append(change.record) }
    }
    return DNSChangeReceipt(id: "C\(submissions.count)", status: .pending, submittedAt: Date())
  }

  func changeStatus(id: String) async throws -> DNSChangeStatus { .inSync }

  /// The values of the simple record with this name.
  func values(of name: String) -> [String] { records.first { $0.name == name }?.values ?? [] }
}

actor EngineFakeMetrics: MetricsProvider {
  private(set) var published: [MetricDatum] = []
  func publish(namespace: String, _ data: [MetricDatum]) async throws { published += data }
}

actor EngineFakeNotifier: Notifier {
  private(set) var delivered: [FailoverNotification] = []
  func notify(_ notification: FailoverNotification) async throws { delivered.append(notification) }
}

/// The store's faces the engine uses, in memory: journal, events, overrides, routing history.
actor MemoryStore: WorkflowJournal, EventLog, OverrideStore, RoutingHistory {
  private(set) var plans: [String: WorkflowPlan] = [:]
  private var order: [String] = []
  private(set) var entries: [StepJournalEntry] = []
  private(set) var outcomes: [String: WorkflowOutcome] = [:]
  private(set) var events: [Event] = []
  private var saved: [String: Override] = [:]
  private var savedOrder: [String] = []
  private var routing: [ServiceID: RoutingState] = [:]
  private var transitionList: [Transition] = []

  func begin(_ workflow: WorkflowPlan, events: [Event]) async throws {
    guard plans[workflow.id] == nil else { return }
    plans[workflow.id] = workflow
    order.append(workflow.id)
    self.events += events
  }

  func append(_ entry: StepJournalEntry, events: [Event]) async throws {
    entries.append(entry)
    self.events += events
  }

  func finish(_ workflowID: String, outcome: WorkflowOutcome, timings: WorkflowTimings, events: [Event])
    async throws
  {
    outcomes[workflowID] = outcome
    self.events += events
    if outcome == .succeeded, let plan = plans[workflowID] {
      routing[plan.plan.service] = plan.plan.to
      transitionList.append(
        Transition(
          service: plan.plan.service, from: plan.plan.from, to: plan.plan.to, trigger: plan.plan.trigger,
          at: timings.finishedAt ?? Date()))
    }
  }

  func unfinishedWorkflows() async throws -> [WorkflowPlan] {
    order.filter { outcomes[$0] == nil }.compactMap { plans[$0] }
  }

  func entries(workflowID: String) async throws -> [StepJournalEntry] {
    entries.filter { $0.workflowID == workflowID }
  }

  func append(_ events: [Event]) async throws { self.events += events }

  func appendReturningStored(_ events: [Event]) async throws -> [StoredEvent] {
    let first = self.events.count
    self.events += events
    return events.enumerated().map { offset, event in
      StoredEvent(seq: Int64(first + offset + 1), id: "\(first + offset + 1)", event: event, hash: "")
    }
  }

  func events(since: Date, limit: Int) async throws -> [Event] {
    Array(events.filter { $0.at >= since }.prefix(limit))
  }

  func save(_ override: Override, event: Event) async throws {
    if saved[override.id] == nil { savedOrder.append(override.id) }
    saved[override.id] = override
    events.append(event)
  }

  func overrides() async throws -> [Override] { savedOrder.compactMap { saved[$0] } }

  func override(id: String) async throws -> Override? { saved[id] }

  func routingState(service: ServiceID) async throws -> RoutingState? { routing[service] }

  func transitions(since: Date) async throws -> [Transition] { transitionList.filter { $0.at >= since } }

  func transitions(service: ServiceID, limit: Int) async throws -> [Transition] {
    Array(transitionList.filter { $0.service == service }.reversed().prefix(limit))
  }

  func routingStates() async throws -> [RoutingState] { routing.values.sorted { $0.service < $1.service } }

  func recordRoutingState(_ state: RoutingState, at: Date, events: [Event]) async throws {
    routing[state.service] = state
    self.events += events
  }

  /// Events of one kind.
  func events(of kind: EventKind) -> [Event] { events.filter { $0.kind == kind } }
}

/// The seed recipe's service, with one HTTP probe per region.
enum EngineFixtures {
  static let service = ServiceID("api.example.com")

  static func config(
    primaryURL: String, secondaryURL: String, failureThreshold: Int = 3, interval: Double = 1
  )
    -> SwitchboardConfig
  {
    func probe(_ url: String) -> SignalSpec {
      .httpProbe(
        HTTPProbeSpec(
          url: url, interval: interval, responseTimeout: 5, failureThreshold: failureThreshold,
          successThreshold: failureThreshold))
    }
    return SwitchboardConfig(
      regions: [Region(id: "us-east-1"), Region(id: "us-west-2")],
      services: [
        Service(
          id: service, dnsName: "api.example.com", hostedZone: "example.com",
          regions: [
            ServiceRegion(region: "us-east-1", target: "192.0.2.10", signals: [probe(primaryURL)]),
            ServiceRegion(region: "us-west-2", target: "192.0.2.20", signals: [probe(secondaryURL)]),
          ])
      ])
  }

  static func key(_ region: RegionID, _ url: String) -> SignalKey {
    SignalKey(service: service, region: region, name: "probe \(url)")
  }

  static func record(_ value: String) -> DNSRecord {
    DNSRecord(name: "api.example.com", type: "A", ttl: 60, values: [value])
  }

  /// Engine ports over in-memory fakes.
  static func ports(
    store: MemoryStore, dns: EngineFakeDNS, notifier: EngineFakeNotifier, sleeper: any Sleeper
  )
    -> EnginePorts
  {
    var ports = EnginePorts(
      store: store, dns: dns, metrics: EngineFakeMetrics(), notifier: notifier, sleeper: sleeper,
      jitter: FixedJitterSource())
    // The real prober, as `serve` wires it (engines built with `runsProbes: false` never start it).
    ports.prober = HTTPProber()
    return ports
  }
}

struct FixedJitterSource: JitterSource {
  func fraction() -> Double { 0.5 }
}

/// CloudWatch alarm states set by the test.
actor EngineFakeAlarms: AlarmSource {
  private var states: [String: AlarmState] = [:]
  func set(_ name: String, _ state: AlarmState) { states[name] = state }
  func alarmStates(names: [String]) async throws -> [String: AlarmReading] {
    var result: [String: AlarmReading] = [:]
    for name in names {
      if let state = states[name] {
        result[name] = AlarmReading(name: name, state: state, reason: "threshold crossed", updatedAt: nil)
      }
    }
    return result
  }
}

/// Route53 health-check verdicts set by the test.
actor EngineFakeHealthChecks: HealthCheckStatusSource {
  private var healthy: [String: Int] = [:]
  func set(_ id: String, healthyCheckers: Int) { healthy[id] = healthyCheckers }
  func healthCheckVerdict(id: String) async throws -> HealthCheckVerdict {
    guard let count = healthy[id] else { throw EngineFakeError(description: "NoSuchHealthCheck \(id)") }
    return HealthCheckVerdict(
      healthCheckID: id, healthyCheckers: count, totalCheckers: 16, detail: "checker says so")
  }
}
