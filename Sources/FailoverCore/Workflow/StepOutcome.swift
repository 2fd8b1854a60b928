import Foundation

/// What one journal entry says a step learned, typed by the kind of step, so later steps and a resumed
/// workflow read fields instead of string keys.
///
/// Stored as a flat JSON object with the keys journals used before the kinds were typed, plus `kind`
/// (`StepOutcome+Coding.swift`); an entry without `kind` is read by its keys, so old journals resume.
public enum StepOutcome: Sendable, Hashable {
  /// Nothing to pass on: a step started or failed, a notification delivered, metrics published, the routing
  /// endpoint switched.
  case none
  /// checkTargetHealth: the verdict of each region that will receive traffic.
  case targetHealth([RegionHealthVerdict])
  /// changeDNS: the zone read and the change Route53 accepted, if one was needed.
  case dnsChange(DNSChangeResult)
  /// waitForSync: the change is INSYNC, or there was none to wait for.
  case sync(SyncResult)
  /// verifyRecord: the record read back from this zone points at the target.
  case verified(zoneID: String)
  /// revertDNS: the records are back where they were; `changeID` is nil when nothing had to be submitted.
  case reverted(changeID: String?)
  /// A failed attempt, retried after this many seconds.
  case retryScheduled(delaySeconds: Double)
  /// A best-effort step (notification, metrics) used up its attempts; the workflow went on without it.
  case bestEffortGaveUp
  /// A runbook step's result or checkpoint.
  case runbook(RunbookOutcome)

  /// The runbook result, when this is one.
  public var runbook: RunbookOutcome? {
    if case .runbook(let outcome) = self { outcome } else { nil }
  }

  /// The DNS change step's result, when this is one.
  public var dnsChange: DNSChangeResult? {
    if case .dnsChange(let result) = self { result } else { nil }
  }
}

/// A region's health as checkTargetHealth saw it.
public struct RegionHealthVerdict: Sendable, Hashable, Codable {
  /// The region that will receive traffic.
  public var region: RegionID
  /// Its health when checked.
  public var status: HealthStatus

  public init(region: RegionID, status: HealthStatus) {
    self.region = region
    self.status = status
  }
}

/// What changeDNS did: the zone it read, and the change submitted to it.
public struct DNSChangeResult: Sendable, Hashable {
  /// The hosted zone holding the record.
  public var zoneID: String
  /// The change Route53 accepted; nil when the record already pointed at the target (nothing submitted).
  public var change: SubmittedChange?

  public init(zoneID: String, change: SubmittedChange?) {
    self.zoneID = zoneID
    self.change = change
  }
}

/// A change batch Route53 accepted.
public struct SubmittedChange: Sendable, Hashable {
  /// Route53's change id, polled until INSYNC.
  public var id: String
  /// Its status when accepted.
  public var status: DNSChangeStatus

  public init(id: String, status: DNSChangeStatus) {
    self.id = id
    self.status = status
  }
}

/// What waitForSync saw.
public struct SyncResult: Sendable, Hashable {
  /// The change that is INSYNC; nil when changeDNS submitted nothing.
  public var changeID: String?
  /// Status reads it took; 0 when the change was INSYNC on acceptance or there was none.
  public var polls: Int

  public init(changeID: String?, polls: Int) {
    self.changeID = changeID
    self.polls = polls
  }
}
