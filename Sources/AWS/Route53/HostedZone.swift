import Foundation

/// A Route53 hosted zone.
public struct HostedZone: Sendable, Hashable {
  /// The bare id (without `/hostedzone/`).
  public var id: String
  /// The domain, without the trailing dot.
  public var name: String
  /// The unique string given at creation (retry-safe creates).
  public var callerReference: String
  /// Whether the zone is private (VPC-only).
  public var isPrivate: Bool
  /// How many record sets the zone holds, when reported.
  public var recordCount: Int?
}
