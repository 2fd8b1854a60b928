import Foundation

/// What a person asks for when creating an override, before validation.
public struct OverrideRequest: Sendable, Hashable, Codable {
  public var scope: OverrideScope
  public var kind: OverrideKind
  public var targetRegion: RegionID?
  public var allowUnhealthyTarget: Bool
  public var actor: String
  public var reason: String
  /// How long it lasts, in seconds; nil means the policy's default (4 h).
  public var duration: Double?
  public init(
    scope: OverrideScope, kind: OverrideKind, targetRegion: RegionID? = nil,
    allowUnhealthyTarget: Bool = false,
    actor: String, reason: String, duration: Double? = nil
  ) {
    self.scope = scope
    self.kind = kind
    self.targetRegion = targetRegion
    self.allowUnhealthyTarget = allowUnhealthyTarget
    self.actor = actor
    self.reason = reason
    self.duration = duration
  }
}

/// Why an override request or change was refused, as a sentence a person can act on.
public struct OverrideError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
