import FailoverCore
import Foundation
import Store
import Testing

/// Journals written before step results were typed (`detail` as a string-keyed dictionary) still resume.
///
/// `Fixtures/legacy-journal.sqlite` was written by `writeLegacyJournal` below, run with the code of the commit
/// that added it: two workflows stopped mid-way, as if the process died.
@Suite("Legacy workflow journal")
struct LegacyJournalTests {
  static let writerVariable = "SWITCHBOARD_WRITE_LEGACY_JOURNAL"

  static let api: ServiceID = "api.example.com"
  static let www: ServiceID = "www.example.com"

  static func record(_ service: ServiceID, _ value: String) -> DNSRecord {
    DNSRecord(name: service.rawValue, type: "A", ttl: 60, values: [value])
  }

  static func runner(
    journal: any WorkflowJournal, dns: WorkflowPortFakes.DNS, notifier: WorkflowPortFakes.Notifier,
    clock: WorkflowPortFakes.Clock
  ) -> WorkflowRunner {
    WorkflowRunner(
      ports: .init(
        dns: dns, metrics: WorkflowPortFakes.Metrics(), notifier: notifier, journal: journal,
        health: WorkflowPortFakes.HealthyTargets(), clock: clock, sleeper: clock,
        jitter: WorkflowPortFakes.HalfJitter()),
      policy: Policy(
        notificationRetry: RetryPolicy(maxAttempts: 2, baseDelay: 1, maxDelay: 10), syncTimeout: 10,
        syncPollInterval: 5))
  }

  @Test(
    "Writer: journals two workflows that stop mid-way (run once, with the pre-typed code)",
    .enabled(if: ProcessInfo.processInfo.environment[writerVariable] != nil))
  func writeLegacyJournal() async throws {
    let path = try #require(ProcessInfo.processInfo.environment[Self.writerVariable])
    let store = try SQLiteStore(path: path)
    let clock = WorkflowPortFakes.Clock(Fixture.t0)

    // api: the initiated notification gives up after a retry, Route53 accepts the change (PENDING), and the
    // process dies while waiting for INSYNC.
    let apiDNS = WorkflowPortFakes.DNS(
      clock: clock, records: [Self.record(Self.api, "192.0.2.10")], status: .pending)
    let apiResult = await Self.runner(
      journal: WorkflowPortFakes.CrashingJournal(store, stopAfter: (.waitForSync, .started)), dns: apiDNS,
      notifier: WorkflowPortFakes.Notifier(refuses: true), clock: clock
    ).start(Fixture.plan("wf-legacy-submitted", service: Self.api, at: 0))
    #expect(apiResult.outcome == nil)
    #expect(await apiDNS.submissions.count == 1)

    // www: the record already points at the target (nothing submitted); the process dies while verifying.
    let wwwDNS = WorkflowPortFakes.DNS(clock: clock, records: [Self.record(Self.www, "192.0.2.20")])
    let wwwResult = await Self.runner(
      journal: WorkflowPortFakes.CrashingJournal(store, stopAfter: (.verifyRecord, .started)), dns: wwwDNS,
      notifier: WorkflowPortFakes.Notifier(refuses: false), clock: clock
    ).start(Fixture.plan("wf-legacy-unchanged", service: Self.www, at: 60))
    #expect(wwwResult.outcome == nil)
    #expect(await wwwDNS.submissions.isEmpty)
  }
}
