import FailoverCore
import Foundation

/// The runner's ports as small fakes, for running real workflows against the SQLite journal.
enum WorkflowPortFakes {
  /// A clock that moves only when a fake sleeps.
  final class Clock: FailoverCore.Clock, Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func sleep(seconds: Double) async throws {
      lock.withLock { current = current.addingTimeInterval(seconds) }
    }
  }

  /// Half of each backoff ceiling, every time.
  struct HalfJitter: JitterSource { func fraction() -> Double { 0.5 } }

  /// Route53 as a dictionary: submits apply at once; every change polled is `status`.
  actor DNS: DNSProvider {
    var records: [DNSRecord]
    var submissions: [DNSChangeBatch] = []
    var polled: [String] = []
    var zoneLookups = 0
    var status: DNSChangeStatus
    let clock: Clock

    init(clock: Clock, records: [DNSRecord], status: DNSChangeStatus = .inSync) {
      self.clock = clock
      self.records = records
      self.status = status
    }

    func hostedZoneID(forDomain domain: String) async throws -> String {
      zoneLookups += 1
      return "Z0FIXTURE"
    }
    func records(zoneID: String, name: String) async throws -> [DNSRecord] {
      records.filter { $0.name == name }
    }
    func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
      submissions.append(batch)
      for change in batch.changes {
        records.removeAll { $0.name == change.record.name && $0.setIdentifier == change.record.setIdentifier }
        if change.action != .delete { records.append(change.record) }
      }
      return DNSChangeReceipt(id: "C-FIXTURE-\(submissions.count)", status: .pending, submittedAt: clock.now)
    }
    func changeStatus(id: String) async throws -> DNSChangeStatus {
      polled.append(id)
      return status
    }
  }

  /// A transient failure, worth retrying.
  struct Refusal: Error, CustomStringConvertible { var description: String { "the webhook answered 503" } }

  /// A notifier that refuses every message, or accepts every one.
  actor Notifier: FailoverCore.Notifier {
    var delivered: [FailoverNotification] = []
    let refuses: Bool
    init(refuses: Bool) { self.refuses = refuses }
    func notify(_ notification: FailoverNotification) async throws {
      if refuses { throw Refusal() }
      delivered.append(notification)
    }
  }

  struct Metrics: MetricsProvider { func publish(namespace: String, _ data: [MetricDatum]) async throws {} }

  struct HealthyTargets: TargetHealthSource {
    func health(service: ServiceID, region: RegionID) async throws -> Health {
      Health(status: .healthy, reason: "the fixture's target answers")
    }
  }

  /// A journal that forwards to another one and refuses every write after the entry `stopAfter` is written,
  /// as if the process died there.
  actor CrashingJournal: WorkflowJournal {
    let inner: any WorkflowJournal
    let stopAfter: (WorkflowStep, StepPhase)
    var dead = false
    init(_ inner: any WorkflowJournal, stopAfter: (WorkflowStep, StepPhase)) {
      self.inner = inner
      self.stopAfter = stopAfter
    }
    func begin(_ workflow: WorkflowPlan, events: [Event]) async throws {
      try await inner.begin(workflow, events: events)
    }
    func append(_ entry: StepJournalEntry, events: [Event]) async throws {
      if dead { throw PermanentStepError("the process is gone") }
      try await inner.append(entry, events: events)
      if entry.step == stopAfter.0 && entry.phase == stopAfter.1 { dead = true }
    }
    func finish(_ workflowID: String, outcome: WorkflowOutcome, timings: WorkflowTimings, events: [Event])
      async throws
    {
      if dead { throw PermanentStepError("the process is gone") }
      try await inner.finish(workflowID, outcome: outcome, timings: timings, events: events)
    }
    func unfinishedWorkflows() async throws -> [WorkflowPlan] { try await inner.unfinishedWorkflows() }
    func entries(workflowID: String) async throws -> [StepJournalEntry] {
      try await inner.entries(workflowID: workflowID)
    }
  }
}
