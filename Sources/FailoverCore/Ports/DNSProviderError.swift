import Foundation

/// A DNS server's refusal that retrying cannot fix: the workflow stops with the sentence instead of retrying.
public struct DNSProviderError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of refusal.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// A compare-and-set prerequisite failed: someone else changed the records since Switchboard wrote them.
    case prerequisiteFailed = "prerequisite-failed"
    /// The server does not accept the key (RFC 2136 NOTAUTH, TSIG BADSIG/BADKEY/BADTIME).
    case notAuthorized = "not-authorized"
    /// The server's policy refuses the request (REFUSED).
    case refused
    /// The zone is not served where Switchboard looks for it.
    case unknownZone = "unknown-zone"
  }

  /// What kind of refusal.
  public var kind: Kind
  /// A sentence a person can act on.
  public var description: String

  public init(_ kind: Kind, _ description: String) {
    self.kind = kind
    self.description = description
  }
}
