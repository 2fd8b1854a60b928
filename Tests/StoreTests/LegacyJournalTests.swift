import FailoverCore
import Foundation
import Store
import Testing

/// Journals written before step results were typed (`detail` as a string-keyed dictionary) still resume.
///
/// `Fixtures/legacy-journal.sqlite` was written with the dictionary code by the test `writeLegacyJournal` of
/// commit 3e543f0 (this file, there): two workflows that stopped mid-way, as if the process died.
/// - `wf-legacy-submitted` (api.example.com, us-east-1 → us-west-2): notifyInitiated retried once
///   (`delay_seconds`) then gave up (`best_effort_failed`); changeDNS submitted `C-FIXTURE-1`, PENDING, in zone
///   `Z0FIXTURE`; the process died after waitForSync started.
/// - `wf-legacy-unchanged` (www.example.com): the record already pointed at the target (`submitted: false`);
///   waitForSync finished with nothing to wait for; the process died after verifyRecord started.
@Suite("Legacy workflow journal")
struct LegacyJournalTests {
  static let api: ServiceID = "api.example.com"
  static let www: ServiceID = "www.example.com"
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/legacy-journal.sqlite")

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

  /// A copy of the fixture, so resuming leaves the committed file as it was.
  static func copyOfFixture(in folder: TemporaryFolder) throws -> String {
    let path = folder.path()
    try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
    return path
  }

  @Test(
    "Given a journal written with dictionaries, when its entries are read, then each is the typed outcome it meant"
  )
  func readsTyped() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: try Self.copyOfFixture(in: folder))
    let submitted = try await store.entries(workflowID: "wf-legacy-submitted")
    #expect(
      submitted.filter { $0.step == .notifyInitiated }.map(\.detail) == [
        .none, .retryScheduled(delaySeconds: 0.5), .none, .bestEffortGaveUp,
      ])
    #expect(
      submitted.first { $0.step == .changeDNS && $0.phase == .finished }?.detail
        == .dnsChange(
          DNSChangeResult(zoneID: "Z0FIXTURE", change: SubmittedChange(id: "C-FIXTURE-1", status: .pending))))
    let unchanged = try await store.entries(workflowID: "wf-legacy-unchanged")
    #expect(
      unchanged.first { $0.step == .changeDNS && $0.phase == .finished }?.detail
        == .dnsChange(DNSChangeResult(zoneID: "Z0FIXTURE", change: nil)))
    #expect(unchanged.filter { $0.detail != .none }.count == 1)
  }

  @Test(
    "Given a journal written with dictionaries that stopped after Route53 accepted the change, when resumed, then it polls that change and finishes without resubmitting"
  )
  func resumesWithoutResubmitting() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: try Self.copyOfFixture(in: folder))
    let clock = WorkflowPortFakes.Clock(Fixture.at(3600))
    // Route53 as the dead process left it: both records at the target; the change is INSYNC by now.
    let dns = WorkflowPortFakes.DNS(
      clock: clock, records: [Self.record(Self.api, "192.0.2.20"), Self.record(Self.www, "192.0.2.20")],
      status: .inSync)
    let notifier = WorkflowPortFakes.Notifier()

    let results = try await Self.runner(journal: store, dns: dns, notifier: notifier, clock: clock)
      .resumeUnfinished()

    #expect(results.map(\.workflowID) == ["wf-legacy-submitted", "wf-legacy-unchanged"])
    #expect(results.map(\.outcome) == [.succeeded, .succeeded], "\(results)")
    #expect(await dns.submissions.isEmpty, "the change accepted before the crash is not submitted again")
    #expect(await dns.polled == ["C-FIXTURE-1"], "waitForSync polls the change id of the old journal")
    #expect(await dns.zoneLookups == 0, "verifyRecord reads the zone id of the old journal")
    #expect(await notifier.delivered.map(\.kind) == [.succeeded, .succeeded])
    #expect(try await store.unfinishedWorkflows().isEmpty)
    #expect(try await store.routingState(service: Self.api) == .single(Self.api, "us-west-2"))
    #expect(try await store.routingState(service: Self.www) == .single(Self.www, "us-west-2"))

    let submitted = try await store.entries(workflowID: "wf-legacy-submitted")
    #expect(submitted.filter { $0.step == .changeDNS }.count == 2, "changeDNS did not run again")
    #expect(
      submitted.last { $0.step == .waitForSync }
        == StepJournalEntry(
          workflowID: "wf-legacy-submitted", index: 3, step: .waitForSync, phase: .finished, attempt: 2,
          at: Fixture.at(3600), message: "Change C-FIXTURE-1 is INSYNC after 1 poll(s).",
          detail: .sync(SyncResult(changeID: "C-FIXTURE-1", polls: 1))))
    let unchanged = try await store.entries(workflowID: "wf-legacy-unchanged")
    #expect(
      unchanged.last { $0.step == .verifyRecord }?.detail == .verified(zoneID: "Z0FIXTURE"))
  }
}
