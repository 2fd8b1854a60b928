import FailoverCore
import Foundation
import GRDB
import Store

/// A folder under the system temp dir, removed when the test is done with it.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "switchboard-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// A path inside the folder (not created).
  func path(_ name: String = "switchboard.sqlite") -> String { url.appendingPathComponent(name).path }
}

/// Runs raw SQL against a store file, as an attacker or a careless operator would.
func rawSQL(_ path: String, _ sql: String) throws {
  let queue = try DatabaseQueue(path: path)
  try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
}

/// Reads one integer with raw SQL.
func rawInt(_ path: String, _ sql: String) throws -> Int {
  let queue = try DatabaseQueue(path: path)
  return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
}

/// Reads one text value with raw SQL.
func rawString(_ path: String, _ sql: String) throws -> String? {
  let queue = try DatabaseQueue(path: path)
  return try queue.read { db in try String.fetchOne(db, sql: sql) }
}

enum Fixture {
  /// A whole-second instant, so times survive the log's millisecond precision unchanged.
  static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

  static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

  static func service(_ id: ServiceID = "api.example.com") -> Service {
    Service(
      id: id, dnsName: id.rawValue, hostedZone: "example.com",
      regions: [
        ServiceRegion(region: "us-east-1", target: "192.0.2.10"),
        ServiceRegion(region: "us-west-2", target: "192.0.2.20"),
      ])
  }

  static func plan(_ id: String, service: ServiceID = "api.example.com", at seconds: Double = 0)
    -> WorkflowPlan
  {
    let failover = FailoverPlan(
      service: service, from: .single(service, "us-east-1"), to: .single(service, "us-west-2"),
      trigger: .automatic, reason: "us-east-1 failed 3 probes in a row.", firstUnhealthyAt: at(seconds - 30))
    let svc = Fixture.service(service)
    return WorkflowPlan(
      id: id, plan: failover, service: svc, steps: WorkflowStep.steps(for: svc.routingMode),
      decidedAt: at(seconds), explanation: "Initiate: us-east-1 is unhealthy, us-west-2 is healthy.")
  }

  static func event(
    _ kind: EventKind = .workflowStarted, scope: EventScope = .service("api.example.com"),
    at seconds: Double = 0,
    _ message: String = "Something happened."
  ) -> Event {
    Event(kind: kind, scope: scope, at: at(seconds), message: message, details: ["n": .int(Int(seconds))])
  }

  static func entry(
    _ workflowID: String, index: Int, _ step: WorkflowStep, _ phase: StepPhase, at seconds: Double
  ) -> StepJournalEntry {
    StepJournalEntry(
      workflowID: workflowID, index: index, step: step, phase: phase, attempt: 1, at: at(seconds),
      message: "\(step.rawValue) \(phase.rawValue)", detail: phase == .finished ? ["change_id": "C1"] : [:])
  }
}
