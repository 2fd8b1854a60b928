/// What the built-in server answers for one question, before it is sized to the transport.
public struct ZoneResolution: Sendable, Hashable {
  public var rcode: UInt16
  public var authoritative: Bool
  public var answers: [DNSResourceRecord]
  public var authorities: [DNSResourceRecord]

  /// REFUSED: a zone this server does not serve (it never recurses).
  public static let refused = ZoneResolution(
    rcode: DNSRCode.refused, authoritative: false, answers: [], authorities: [])
}
