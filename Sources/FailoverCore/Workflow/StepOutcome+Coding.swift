import Foundation

/// The journal's JSON for a step outcome: one flat object, `{}` for `.none`.
///
/// The keys are those the journal used when results were a string-keyed dictionary (`zone_id`, `submitted`,
/// `change_id`, `change_status`, `delay_seconds`, `best_effort_failed`, `reverted`, `revert_change_id`), plus
/// `kind`. An object without `kind` was written before the kinds were typed and is recognised by its keys.
extension StepOutcome: Codable {
  private enum Key: String, CodingKey {
    case kind
    case verdicts
    case zoneID = "zone_id"
    case submitted
    case changeID = "change_id"
    case changeStatus = "change_status"
    case polls
    case reverted
    case revertChangeID = "revert_change_id"
    case delaySeconds = "delay_seconds"
    case bestEffortFailed = "best_effort_failed"
    case runbook
  }

  private enum Kind: String, Codable {
    case targetHealth = "target_health"
    case dnsChange = "dns_change"
    case sync
    case verified
    case reverted
    case retryScheduled = "retry_scheduled"
    case bestEffortGaveUp = "best_effort_gave_up"
    case runbook
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    guard let kind = try container.decodeIfPresent(Kind.self, forKey: .kind) else {
      self = try Self.legacy(container)
      return
    }
    switch kind {
    case .targetHealth:
      self = .targetHealth(try container.decode([RegionHealthVerdict].self, forKey: .verdicts))
    case .dnsChange: self = .dnsChange(try Self.dnsChange(container))
    case .sync:
      self = .sync(
        SyncResult(
          changeID: try container.decodeIfPresent(String.self, forKey: .changeID),
          polls: try container.decode(Int.self, forKey: .polls)))
    case .verified: self = .verified(zoneID: try container.decode(String.self, forKey: .zoneID))
    case .reverted:
      self = .reverted(changeID: try container.decodeIfPresent(String.self, forKey: .revertChangeID))
    case .retryScheduled:
      self = .retryScheduled(delaySeconds: try container.decode(Double.self, forKey: .delaySeconds))
    case .bestEffortGaveUp: self = .bestEffortGaveUp
    case .runbook: self = .runbook(try container.decode(RunbookOutcome.self, forKey: .runbook))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .none: break
    case .targetHealth(let verdicts):
      try container.encode(Kind.targetHealth, forKey: .kind)
      try container.encode(verdicts, forKey: .verdicts)
    case .dnsChange(let result):
      try container.encode(Kind.dnsChange, forKey: .kind)
      try container.encode(result.zoneID, forKey: .zoneID)
      try container.encode(result.change != nil, forKey: .submitted)
      try container.encodeIfPresent(result.change?.id, forKey: .changeID)
      try container.encodeIfPresent(result.change?.status, forKey: .changeStatus)
    case .sync(let result):
      try container.encode(Kind.sync, forKey: .kind)
      try container.encodeIfPresent(result.changeID, forKey: .changeID)
      try container.encode(result.polls, forKey: .polls)
    case .verified(let zoneID):
      try container.encode(Kind.verified, forKey: .kind)
      try container.encode(zoneID, forKey: .zoneID)
    case .reverted(let changeID):
      try container.encode(Kind.reverted, forKey: .kind)
      try container.encode(true, forKey: .reverted)
      try container.encodeIfPresent(changeID, forKey: .revertChangeID)
    case .retryScheduled(let delay):
      try container.encode(Kind.retryScheduled, forKey: .kind)
      try container.encode(delay, forKey: .delaySeconds)
    case .bestEffortGaveUp:
      try container.encode(Kind.bestEffortGaveUp, forKey: .kind)
      try container.encode(true, forKey: .bestEffortFailed)
    case .runbook(let outcome):
      try container.encode(Kind.runbook, forKey: .kind)
      try container.encode(outcome, forKey: .runbook)
    }
  }

  /// The dictionary journals wrote before `kind`: each shape the runner wrote then is recognised by its keys.
  private static func legacy(_ container: KeyedDecodingContainer<Key>) throws -> StepOutcome {
    if container.allKeys.isEmpty { return .none }
    if let delay = try container.decodeIfPresent(Double.self, forKey: .delaySeconds) {
      return .retryScheduled(delaySeconds: delay)
    }
    if try container.decodeIfPresent(Bool.self, forKey: .bestEffortFailed) == true {
      return .bestEffortGaveUp
    }
    if try container.decodeIfPresent(Bool.self, forKey: .reverted) == true {
      return .reverted(changeID: try container.decodeIfPresent(String.self, forKey: .revertChangeID))
    }
    if container.contains(.zoneID) && container.contains(.submitted) {
      return .dnsChange(try dnsChange(container))
    }
    throw DecodingError.dataCorrupted(
      DecodingError.Context(
        codingPath: container.codingPath,
        debugDescription:
          "a step result without `kind` must have the keys of an older journal; found "
          + container.allKeys.map(\.stringValue).sorted().joined(separator: ", ")))
  }

  private static func dnsChange(_ container: KeyedDecodingContainer<Key>) throws -> DNSChangeResult {
    let zoneID = try container.decode(String.self, forKey: .zoneID)
    guard try container.decode(Bool.self, forKey: .submitted) else {
      return DNSChangeResult(zoneID: zoneID, change: nil)
    }
    return DNSChangeResult(
      zoneID: zoneID,
      change: SubmittedChange(
        id: try container.decode(String.self, forKey: .changeID),
        status: try container.decode(DNSChangeStatus.self, forKey: .changeStatus)))
  }
}
