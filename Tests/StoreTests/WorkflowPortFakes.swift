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

  /// A notifier that keeps what it is given.
  actor Notifier: FailoverCore.Notifier {
    var delivered: [FailoverNotification] = []
    func notify(_ notification: FailoverNotification) async throws { delivered.append(notification) }
  }

  struct Metrics: MetricsProvider { func publish(namespace: String, _ data: [MetricDatum]) async throws {} }

  struct HealthyTargets: TargetHealthSource {
    func health(service: ServiceID, region: RegionID) async throws -> Health {
      Health(status: .healthy, reason: "the fixture's target answers")
    }
  }
}
