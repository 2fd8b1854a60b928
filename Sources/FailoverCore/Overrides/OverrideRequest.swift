import Foundation

/// What a person asks for when creating an override, before validation.
public struct OverrideRequest: Sendable, Hashable, Codable {
  /// What it should apply to.
  public var scope: OverrideScope
  /// What it should do.
  public var kind: OverrideKind
  /// The region to force to or drain, when the kind needs one.
  public var targetRegion: RegionID?
  /// `force` only: route even to an unhealthy target.
  public var allowUnhealthyTarget: Bool
  /// Who asks.
  public var actor: String
  /// Why, mandatory.
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
  /// The sentence to show.
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
