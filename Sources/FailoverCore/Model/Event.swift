import Foundation

/// What an event records; the raw value is stable and used by the store and the API.
public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
  case decisionInitiated = "decision.initiated"
  case decisionBlocked = "decision.blocked"
  case healthCheckError = "decision.health_check_error"
  case workflowStarted = "workflow.started"
  case workflowStepStarted = "workflow.step_started"
  case workflowStepFinished = "workflow.step_finished"
  case workflowStepRetried = "workflow.step_retried"
  case workflowStepSkipped = "workflow.step_skipped"
  case workflowStepFailed = "workflow.step_failed"
  case workflowApprovalRequested = "workflow.approval_requested"
  case workflowApprovalDecided = "workflow.approval_decided"
  case workflowSucceeded = "workflow.succeeded"
  case workflowFailed = "workflow.failed"
  case notificationFailed = "notification.failed"
  case metricsFailed = "metrics.failed"
  case overrideCreated = "override.created"
  case overrideCleared = "override.cleared"
  case overrideExpired = "override.expired"
  case configurationReloaded = "configuration.reloaded"
  case configurationRejected = "configuration.rejected"
  case drillCreated = "drill.created"
  case drillUpdated = "drill.updated"
  case drillCancelled = "drill.cancelled"
  case drillPaused = "drill.paused"
  case drillResumed = "drill.resumed"
  case drillStarted = "drill.started"
  case drillSkipped = "drill.skipped"
  case drillAbortRequested = "drill.abort_requested"
  case drillFinished = "drill.finished"
}

/// What an event is about.
public enum EventScope: Sendable, Hashable, Codable, CustomStringConvertible {
  case global
  case region(RegionID)
  case service(ServiceID)

  /// `global`, `region:ID` or `service:ID`: the compact form of `OverrideScope.token`, which it is written as.
  public var description: String { overrideScope.token }

  public init(from decoder: Decoder) throws {
    self.init(try OverrideScope(from: decoder))
  }

  public func encode(to encoder: Encoder) throws {
    try overrideScope.encode(to: encoder)
  }

  /// The override scope of the same place, whose compact form events share.
  private var overrideScope: OverrideScope {
    switch self {
    case .global: .global
    case .region(let id): .region(id)
    case .service(let id): .service(id)
    }
  }

  /// The event scope matching an override scope.
  public init(_ scope: OverrideScope) {
    switch scope {
    case .global: self = .global
    case .region(let id): self = .region(id)
    case .service(let id): self = .service(id)
    }
  }
}

/// One entry of the append-only audit log.
public struct Event: Sendable, Hashable, Codable {
  /// What happened.
  public var kind: EventKind
  /// What it concerns.
  public var scope: EventScope
  /// Who caused it: a person's name, or `switchboard` for automatic action.
  public var actor: String
  /// When it happened.
  public var at: Date
  /// One or more sentences a person can read.
  public var message: String
  /// Machine-readable facts (ids, regions, timings).
  public var details: [String: JSONValue]

  public init(
    kind: EventKind, scope: EventScope, actor: String = Event.automaticActor, at: Date, message: String,
    details: [String: JSONValue] = [:]
  ) {
    self.kind = kind
    self.scope = scope
    self.actor = actor
    self.at = at
    self.message = message
    self.details = details
  }

  /// The actor name of automatic decisions.
  public static let automaticActor = "switchboard"

  /// The canonical encoding the store hashes: JSON with sorted keys, no extra whitespace, unescaped slashes,
  /// times as RFC 3339 UTC with milliseconds. Equal events always give equal bytes.
  public func canonicalJSON() -> Data {
    let object: JSONValue = .object([
      "kind": .string(kind.rawValue),
      "scope": .string(scope.description),
      "actor": .string(actor),
      "at": .string(Event.timestamp(at)),
      "message": .string(message),
      "details": .object(details),
    ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding a JSONValue cannot fail: it holds only JSON-representable values (non-finite doubles aside).
    return (try? encoder.encode(object)) ?? Data()
  }

  /// RFC 3339 UTC with milliseconds, e.g. `2026-11-21T23:51:30.000Z`.
  public static func timestamp(_ date: Date) -> String {
    let millis = (date.timeIntervalSince1970 * 1000).rounded()
    let whole = Date(timeIntervalSince1970: (millis / 1000).rounded(.down))
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
    let ms = Int(millis.truncatingRemainder(dividingBy: 1000) + 1000) % 1000
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
      ms)
  }
}
