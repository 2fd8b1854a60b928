import Foundation

/// What an override applies to.
public enum OverrideScope: Sendable, Hashable, Codable, CustomStringConvertible {
  case global
  case region(RegionID)
  case service(ServiceID)

  public var description: String {
    switch self {
    case .global: "global"
    case .region(let id): "region \(id)"
    case .service(let id): "service \(id)"
    }
  }

  /// The compact form used in JSON and on the command line: `global`, `region:ID` or `service:ID`.
  public var token: String {
    switch self {
    case .global: "global"
    case .region(let id): "region:\(id)"
    case .service(let id): "service:\(id)"
    }
  }

  /// Parses the compact form (`global`, `region:ID`, `service:ID`); nil when malformed.
  public init?(token: String) {
    if token == "global" {
      self = .global
      return
    }
    guard let colon = token.firstIndex(of: ":") else { return nil }
    let id = String(token[token.index(after: colon)...])
    guard !id.isEmpty else { return nil }
    switch token[..<colon] {
    case "region": self = .region(RegionID(id))
    case "service": self = .service(ServiceID(id))
    default: return nil
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let scope = OverrideScope(token: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "A scope is global, region:ID or service:ID, not \"\(text)\".")
    }
    self = scope
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(token)
  }

  /// Whether the scope covers a service that runs in the given regions.
  public func covers(service: ServiceID, regions: [RegionID]) -> Bool {
    switch self {
    case .global: true
    case .region(let id): regions.contains(id)
    case .service(let id): id == service
    }
  }
}

/// What an override does (the seeds' "user request flag", richer).
public enum OverrideKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// No automatic action anywhere in scope.
  case freeze
  /// Move traffic away from a region.
  case drain
  /// Route a service to a named region.
  case force
  /// No automatic failover for a service.
  case block
}

/// A human instruction that changes what the decider may do, for a limited time.
public struct Override: Sendable, Hashable, Codable, Identifiable {
  /// Unique id, chosen by the creator (e.g. a UUID).
  public var id: String
  /// What it applies to.
  public var scope: OverrideScope
  /// What it does.
  public var kind: OverrideKind
  /// The region to route to (`force`) or to drain (`drain`, when the scope is not that region).
  public var targetRegion: RegionID?
  /// `force` only: route even if the target is unhealthy or unknown.
  public var allowUnhealthyTarget: Bool
  /// Who created it.
  public var actor: String
  /// Why, mandatory.
  public var reason: String
  /// When it was created.
  public var createdAt: Date
  /// When it stops applying by itself (at most 72 h after creation).
  public var expiresAt: Date
  /// When it was cleared early, if it was.
  public var clearedAt: Date?
  /// Who cleared it early, if anyone did.
  public var clearedBy: String?
  /// When the engine recorded the expiry (so it is announced once).
  public var expiryRecordedAt: Date?

  public init(
    id: String, scope: OverrideScope, kind: OverrideKind, targetRegion: RegionID? = nil,
    allowUnhealthyTarget: Bool = false, actor: String, reason: String, createdAt: Date, expiresAt: Date,
    clearedAt: Date? = nil, clearedBy: String? = nil, expiryRecordedAt: Date? = nil
  ) {
    self.id = id
    self.scope = scope
    self.kind = kind
    self.targetRegion = targetRegion
    self.allowUnhealthyTarget = allowUnhealthyTarget
    self.actor = actor
    self.reason = reason
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.clearedAt = clearedAt
    self.clearedBy = clearedBy
    self.expiryRecordedAt = expiryRecordedAt
  }

  /// Whether the override is in force at `now` (created, not expired, not cleared).
  public func isActive(at now: Date) -> Bool {
    clearedAt == nil && createdAt <= now && now < expiresAt
  }

  /// The region a `drain` moves traffic away from.
  public var drainedRegion: RegionID? {
    guard kind == .drain else { return nil }
    if let targetRegion { return targetRegion }
    if case .region(let id) = scope { return id }
    return nil
  }

  /// A short phrase naming the override for explanations.
  public var summary: String {
    var text = "\(kind.rawValue) override \(id) (\(scope)"
    if let targetRegion { text += ", region \(targetRegion)" }
    text += ") by \(actor): \"\(reason)\""
    return text
  }
}
