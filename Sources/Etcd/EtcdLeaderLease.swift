import Foundation

/// How long this node may still act as the leader, as it alone can vouch for it: the lease's deadline measured on
/// the local monotonic clock from the moment the last successful grant or keepalive was *sent* (etcd started the
/// TTL at or after that moment), minus a safety margin for clock drift and a write already on its way.
public struct EtcdLeaderLease: Sendable, Hashable {
  /// The lease's time to live, in seconds.
  public let ttl: TimeInterval
  /// How long before the deadline the node stops acting (default max(1 s, TTL/5)).
  public let margin: TimeInterval
  /// The local monotonic instant (seconds) at which etcd may expire the lease; nil when no lease is held.
  public private(set) var expiresAt: TimeInterval?

  /// A lease of `ttl` seconds, not yet held; `margin` nil takes the default.
  public init(ttl: TimeInterval, margin: TimeInterval? = nil) {
    self.ttl = ttl
    self.margin = margin ?? Self.defaultMargin(ttl: ttl)
  }

  /// max(1 s, TTL/5).
  public static func defaultMargin(ttl: TimeInterval) -> TimeInterval { max(1, ttl / 5) }

  /// How often the lease is renewed: a third of its TTL, so two renewals may fail before the margin is reached.
  public var renewalInterval: TimeInterval { ttl / 3 }

  /// Records a grant or keepalive sent at `sentAt` that etcd answered with `grantedTTL` seconds (0: the lease is
  /// gone).
  public mutating func renewed(sentAt: TimeInterval, grantedTTL: Int) {
    expiresAt = grantedTTL > 0 ? sentAt + TimeInterval(grantedTTL) : nil
  }

  /// Forgets the lease (it expired, was revoked, or etcd said it does not exist).
  public mutating func lost() { expiresAt = nil }

  /// Whether the node may still act at `now`: before the deadline minus the margin.
  public func isHeld(at now: TimeInterval) -> Bool {
    guard let expiresAt else { return false }
    return now < expiresAt - margin
  }

  /// Seconds before the node must stop acting (negative once past), nil without a lease.
  public func secondsLeft(at now: TimeInterval) -> TimeInterval? {
    expiresAt.map { $0 - margin - now }
  }
}
