import Crypto
import Foundation

/// Signs requests and checks signed responses with a TSIG key (RFC 8945, HMAC-SHA256).
public enum TSIGSigner {
  /// How far apart the two clocks may be (seconds).
  public static let fudge: UInt16 = 300

  /// The message's wire form with a TSIG record appended; returns the bytes and the MAC (to check the response).
  public static func sign(_ message: DNSMessage, key: TSIGKey, now: UInt64) -> (bytes: [UInt8], mac: [UInt8])
  {
    let unsigned = message.serialized()
    var tsig = TSIGData(
      algorithm: key.algorithm, timeSigned: now, fudge: fudge, mac: [], originalID: message.id,
      error: 0, otherData: [])
    tsig.mac = key.mac(unsigned + variables(key: key, tsig: tsig))
    var writer = DNSWriter()
    writer.append(unsigned)
    writer.record(
      DNSResourceRecord(
        name: key.name, type: DNSType.tsig, recordClass: DNSClass.any, ttl: 0, data: .tsig(tsig)))
    var bytes = writer.bytes
    let additional = (UInt16(bytes[10]) << 8 | UInt16(bytes[11])) + 1
    bytes[10] = UInt8(additional >> 8)
    bytes[11] = UInt8(additional & 0xFF)
    return (bytes, tsig.mac)
  }

  /// Why a response's signature does not hold.
  public enum Failure: Error, Sendable, Hashable {
    /// The response is not signed (servers leave errors like BADSIG unsigned).
    case unsigned
    /// The server names a TSIG error (BADSIG, BADKEY, BADTIME).
    case serverError(UInt16)
    /// The MAC does not match the key: the response was not made with it.
    case badMAC
  }

  /// Checks a signed response to a request whose MAC was `requestMAC`.
  public static func verify(response bytes: [UInt8], parsed: DNSMessage, requestMAC: [UInt8], key: TSIGKey)
    -> Failure?
  {
    guard let (name, tsig) = parsed.tsig else { return .unsigned }
    if tsig.error != 0 { return .serverError(tsig.error) }
    guard let start = try? DNSMessage.offsetOfLastRecord(in: bytes), start >= DNSMessage.headerSize else {
      return .badMAC
    }
    var body = Array(bytes[0..<start])
    body[0] = UInt8(tsig.originalID >> 8)
    body[1] = UInt8(tsig.originalID & 0xFF)
    let additional = (UInt16(body[10]) << 8 | UInt16(body[11])) &- 1
    body[10] = UInt8(additional >> 8)
    body[11] = UInt8(additional & 0xFF)
    var signed: [UInt8] = [UInt8(requestMAC.count >> 8), UInt8(requestMAC.count & 0xFF)] + requestMAC + body
    var probe = tsig
    probe.mac = []
    var keyOfResponse = key
    keyOfResponse.name = name
    signed += variables(key: keyOfResponse, tsig: probe)
    let expected = key.mac(signed)
    return expected == tsig.mac ? nil : .badMAC
  }

  /// The TSIG variables that follow the message in the MAC's input.
  static func variables(key: TSIGKey, tsig: TSIGData) -> [UInt8] {
    var writer = DNSWriter()
    writer.append(key.name.canonicalWire)
    writer.u16(DNSClass.any)
    writer.u32(0)
    writer.append(tsig.algorithm.canonicalWire)
    writer.u16(UInt16(tsig.timeSigned >> 32 & 0xFFFF))
    writer.u32(UInt32(tsig.timeSigned & 0xFFFF_FFFF))
    writer.u16(tsig.fudge)
    writer.u16(tsig.error)
    writer.u16(UInt16(tsig.otherData.count))
    writer.append(tsig.otherData)
    return writer.bytes
  }
}

extension TSIGSigner {
  /// A response signed as a server signs it (the request's MAC first); tests check `verify` against it.
  public static func signResponse(_ message: DNSMessage, key: TSIGKey, requestMAC: [UInt8], now: UInt64)
    -> [UInt8]
  {
    let unsigned = message.serialized()
    var tsig = TSIGData(
      algorithm: key.algorithm, timeSigned: now, fudge: fudge, mac: [], originalID: message.id, error: 0,
      otherData: [])
    let prefix = [UInt8(requestMAC.count >> 8), UInt8(requestMAC.count & 0xFF)] + requestMAC
    tsig.mac = key.mac(prefix + unsigned + variables(key: key, tsig: tsig))
    var response = message
    response.additionals.append(
      DNSResourceRecord(
        name: key.name, type: DNSType.tsig, recordClass: DNSClass.any, ttl: 0, data: .tsig(tsig)))
    return response.serialized()
  }
}
