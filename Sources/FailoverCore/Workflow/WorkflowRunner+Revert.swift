import Foundation

/// Compensation after a failure: a DNS change Route53 accepted is put back, once, as the journal's step
/// `revertDNS` (index = the plan's step count), so the service stays where it was.
extension WorkflowRunner {
  /// Reverts the accepted change if there is one (or reads how an earlier revert ended) and returns the
  /// failure reason completed with where the service now routes.
  func revertIfChanged(
    _ plan: WorkflowPlan, reason: String, entries: inout [StepJournalEntry]
  ) async throws -> String {
    let service = plan.plan.service
    let from = plan.plan.from.summary
    let reason = reason.hasSuffix(".") ? reason : reason + "."
    let reverted = "\(reason) The DNS change was reverted; \(service) stays at \(from)."
    let revertFailed = { (why: String) in
      "\(reason) Reverting the DNS change failed too (\(why)); the record may still point at "
        + "\(plan.plan.to.summary)."
    }
    let submitted = entries.lazy.filter { $0.step == .changeDNS && $0.phase == .finished }
      .compactMap(\.detail.dnsChange).first { $0.change != nil }
    guard let submitted else { return "\(reason) \(service) stays at \(from)." }
    let index = plan.steps.count
    if entries.contains(where: { $0.index == index && $0.phase == .finished }) { return reverted }
    if let failed = entries.first(where: { $0.index == index && $0.phase == .failed }) {
      return revertFailed(failed.message)
    }
    let prior = entries.filter { $0.index == index }.map(\.attempt).max() ?? 0
    switch try await run(
      .revertDNS, index: index, plan: plan, facts: WorkflowFacts(dnsChange: submitted), priorAttempts: prior,
      entries: &entries)
    {
    case .done: return reverted
    case .failed(let why): return revertFailed(why)
    }
  }
}
