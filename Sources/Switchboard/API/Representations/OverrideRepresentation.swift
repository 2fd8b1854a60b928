import FailoverCore
import Foundation

/// An override as the API shows it.
public struct OverrideRepresentation: Sendable, Hashable, Encodable {
  public var id: String
  public var scope: String
  public var kind: String
  @Nullable public var targetRegion: String?
  public var allowUnhealthyTarget: Bool
  public var actor: String
  public var reason: String
  public var createdAt: Date
  public var expiresAt: Date
  @Nullable public var clearedAt: Date?
  @Nullable public var clearedBy: String?
  public var active: Bool
  public var summary: String

  public init(_ override: Override, now: Date) {
    id = override.id
    scope = override.scope.token
    kind = override.kind.rawValue
    targetRegion = override.targetRegion?.rawValue
    allowUnhealthyTarget = override.allowUnhealthyTarget
    actor = override.actor
    reason = override.reason
    createdAt = override.createdAt
    expiresAt = override.expiresAt
    clearedAt = override.clearedAt
    clearedBy = override.clearedBy
    active = override.isActive(at: now)
    summary = override.summary
  }
}
