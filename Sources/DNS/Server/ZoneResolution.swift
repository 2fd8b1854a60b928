/// What the built-in server answers for one question, before it is sized to the transport.
public struct ZoneResolution: Sendable, Hashable {
  public var rcode: UInt16
  public var authoritative: Bool
  public var answers: [DNSResourceRecord]
  public var authorities: [DNSResourceRecord]
  /// False when the answer's order was drawn by weight (it must be drawn again for the next query).
  public var cacheable = true

  /// REFUSED: a zone this server does not serve (it never recurses).
  public static let refused = ZoneResolution(
    rcode: DNSRCode.refused, authoritative: false, answers: [], authorities: [])
}
