import FailoverCore
import Foundation

/// Fixed instants, plans, events and journal entries for store tests.
public enum StoreFixture {
  /// A whole-second instant, so times survive the log's millisecond precision unchanged.
  public static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

  /// `seconds` after `t0`.
  public static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

  /// A two-region service (us-east-1 primary, us-west-2).
  public static func service(_ id: ServiceID = "api.example.com") -> Service {
    Service(
      id: id, dnsName: id.rawValue, hostedZone: "example.com",
      regions: [
        ServiceRegion(region: "us-east-1", target: "192.0.2.10"),
        ServiceRegion(region: "us-west-2", target: "192.0.2.20"),
      ])
  }

  /// A workflow moving `service` from us-east-1 to us-west-2, decided `seconds` after `t0`.
  public static func plan(_ id: String, service: ServiceID = "api.example.com", at seconds: Double = 0)
    -> WorkflowPlan
  {
    let failover = FailoverPlan(
      service: service, from: .single(service, "us-east-1"), to: .single(service, "us-west-2"),
      trigger: .automatic, reason: "us-east-1 failed 3 probes in a row.", firstUnhealthyAt: at(seconds - 30))
    let svc = StoreFixture.service(service)
    return WorkflowPlan(
      id: id, plan: failover, service: svc, steps: WorkflowStep.steps(for: svc.routingMode),
      decidedAt: at(seconds), explanation: "Initiate: us-east-1 is unhealthy, us-west-2 is healthy.")
  }

  /// An event `seconds` after `t0`, its details naming the second.
  public static func event(
    _ kind: EventKind = .workflowStarted, scope: EventScope = .service("api.example.com"),
    at seconds: Double = 0,
    _ message: String = "Something happened."
  ) -> Event {
    Event(kind: kind, scope: scope, at: at(seconds), message: message, details: ["n": .int(Int(seconds))])
  }

  /// A journal entry of one step of `workflowID`.
  public static func entry(
    _ workflowID: String, index: Int, _ step: WorkflowStep, _ phase: StepPhase, at seconds: Double
  ) -> StepJournalEntry {
    StepJournalEntry(
      workflowID: workflowID, index: index, step: step, phase: phase, attempt: 1, at: at(seconds),
      message: "\(step.rawValue) \(phase.rawValue)",
      detail: phase == .finished
        ? .dnsChange(DNSChangeResult(zoneID: "Z1", change: SubmittedChange(id: "C1", status: .pending)))
        : .none)
  }
}
