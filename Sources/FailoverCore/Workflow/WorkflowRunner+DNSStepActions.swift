import Foundation

/// The steps that read and change the service's DNS records; each reads the records first, so a step repeated
/// after a crash submits nothing the zone already holds.
extension WorkflowRunner {
  /// UPSERTs the records to the target, unless they already point there.
  func changeDNS(_ plan: WorkflowPlan, facts: WorkflowFacts) async throws -> (String, StepOutcome) {
    let service = plan.service
    let target = plan.plan.to
    let zoneID = try await zone(service, facts)
    let actual = try await ports.dns.records(zoneID: zoneID, name: service.dnsName)
    let differences = DNSTarget.differences(for: target, service: service, actual: actual)
    if differences.isEmpty {
      return (
        "The record already points at the target; nothing was submitted.",
        .dnsChange(DNSChangeResult(zoneID: zoneID, change: nil))
      )
    }
    let batch = DNSChangeBatch(
      zoneID: zoneID, comment: "Switchboard workflow \(plan.id): \(plan.plan.trigger.rawValue)",
      changes: DNSTarget.changes(for: target, service: service, actual: actual),
      expected: DNSTarget.records(for: plan.plan.from, service: service))
    let receipt = try await submitStoppingOnRefusal(batch)
    return (
      "Change \(receipt.id) accepted (\(receipt.status.rawValue)): \(differences.joined(separator: "; ")).",
      .dnsChange(
        DNSChangeResult(zoneID: zoneID, change: SubmittedChange(id: receipt.id, status: receipt.status)))
    )
  }

  /// Polls the change changeDNS submitted until Route53 reports it INSYNC, within the sync timeout.
  func waitForSync(facts: WorkflowFacts) async throws -> (String, StepOutcome) {
    guard let change = facts.dnsChange?.change else {
      return ("No change was submitted; nothing to wait for.", .sync(SyncResult(changeID: nil, polls: 0)))
    }
    if change.status == .inSync {
      return (
        "Change \(change.id) was INSYNC when accepted.", .sync(SyncResult(changeID: change.id, polls: 0))
      )
    }
    let polls = max(1, Int((policy.syncTimeout / max(policy.syncPollInterval, 0.001)).rounded(.up)))
    for poll in 1...polls {
      if try await ports.dns.changeStatus(id: change.id) == .inSync {
        return (
          "Change \(change.id) is INSYNC after \(poll) poll(s).",
          .sync(SyncResult(changeID: change.id, polls: poll))
        )
      }
      if poll < polls {
        do { try await ports.sleeper.sleep(seconds: policy.syncPollInterval) } catch {
          throw Interruption(reason: "cancelled")
        }
      }
    }
    throw PermanentStepError("change \(change.id) was not INSYNC within \(Int(policy.syncTimeout)) s")
  }

  /// Reads the records back: they must point at the target (retried until they do).
  func verifyRecord(_ plan: WorkflowPlan, facts: WorkflowFacts) async throws -> (String, StepOutcome) {
    let service = plan.service
    let zoneID = try await zone(service, facts)
    let actual = try await ports.dns.records(zoneID: zoneID, name: service.dnsName)
    let differences = DNSTarget.differences(for: plan.plan.to, service: service, actual: actual)
    guard differences.isEmpty else {
      throw RetryableStepError("the record is not at the target yet: \(differences.joined(separator: "; "))")
    }
    return (
      "\(service.dnsName) now points at the target (\(plan.plan.to.summary)).", .verified(zoneID: zoneID)
    )
  }

  /// Compensation: UPSERTs the records back to where the workflow found them.
  func revertDNS(_ plan: WorkflowPlan, facts: WorkflowFacts) async throws -> (String, StepOutcome) {
    let service = plan.service
    let zoneID = try await zone(service, facts)
    let actual = try await ports.dns.records(zoneID: zoneID, name: service.dnsName)
    if DNSTarget.differences(for: plan.plan.from, service: service, actual: actual).isEmpty {
      return ("The record already points where it was; nothing was submitted.", .reverted(changeID: nil))
    }
    let receipt = try await submitStoppingOnRefusal(
      DNSChangeBatch(
        zoneID: zoneID, comment: "Switchboard workflow \(plan.id): revert after failure",
        changes: DNSTarget.changes(for: plan.plan.from, service: service, actual: actual)))
    return (
      "Change \(receipt.id) puts the record back to \(plan.plan.from.summary).",
      .reverted(changeID: receipt.id)
    )
  }

  /// Submits a batch; a refusal retrying cannot fix (a failed prerequisite, a rejected key, a policy) stops the
  /// workflow with the server's sentence instead of being retried.
  private func submitStoppingOnRefusal(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    do {
      return try await ports.dns.submit(batch)
    } catch let refusal as DNSProviderError {
      throw PermanentStepError(refusal.description)
    }
  }

  /// The configured zone id, else the one changeDNS used, else Route53's zone of that name.
  private func zone(_ service: Service, _ facts: WorkflowFacts) async throws -> String {
    if let id = service.hostedZoneID { return id }
    if let id = facts.dnsChange?.zoneID { return id }
    return try await ports.dns.hostedZoneID(forDomain: service.hostedZone)
  }
}
