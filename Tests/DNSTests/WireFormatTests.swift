import DNS
import Testing

@Suite("DNS wire format: messages parse and serialize, names compress, bad bytes are refused")
struct WireFormatTests {
  static let name = DNSName("api.example.com")!

  @Test(
    "Given a response with repeated names, when serialized and parsed, then it is the same and names are compressed"
  )
  func roundTripWithCompression() throws {
    var message = DNSMessage(id: 0xBEEF, questions: [DNSQuestion(name: Self.name, type: DNSType.a)])
    message.isResponse = true
    message.isAuthoritative = true
    message.answers = [
      DNSResourceRecord(name: Self.name, type: DNSType.a, ttl: 60, data: .a([192, 0, 2, 10])),
      DNSResourceRecord(name: Self.name, type: DNSType.a, ttl: 60, data: .a([192, 0, 2, 11])),
    ]
    message.authorities = [
      DNSResourceRecord(
        name: DNSName("example.com")!, type: DNSType.soa, ttl: 3600,
        data: .soa(
          SOAData(
            primary: DNSName("ns1.example.com")!, mailbox: DNSName("hostmaster.example.com")!, serial: 7,
            refresh: 1, retry: 2, expire: 3, minimum: 4)))
    ]
    message.additionals = [EDNSOptions(udpPayloadSize: 1232).record]
    let bytes = message.serialized()
    let parsed = try DNSMessage(parsing: bytes)
    #expect(parsed == message)
    // The name is written once; every later owner is a 2-byte pointer to it.
    let label: [UInt8] = [3, 97, 112, 105]
    let copies = (0...(bytes.count - label.count)).filter { Array(bytes[$0..<$0 + label.count]) == label }
    #expect(copies.count == 1)
    #expect(parsed.edns?.udpPayloadSize == 1232)
  }

  @Test("Given a compression pointer that points at itself or forward, when parsed, then it is refused")
  func pointerLoopsAreRefused() {
    // Header with one question whose name is a pointer to offset 12 (itself).
    let selfLoop: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
    #expect(throws: DNSParseError.badPointer) { try DNSMessage(parsing: selfLoop) }
    let forward: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 1, 0, 1, 0]
    #expect(throws: DNSParseError.badPointer) { try DNSMessage(parsing: forward) }
  }

  @Test("Given counts larger than the message, when parsed, then it is refused without reading past the end")
  func liesInCountsAreRefused() {
    let bytes: [UInt8] = [0, 1, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0]
    #expect(throws: DNSParseError.tooManyRecords) { try DNSMessage(parsing: bytes) }
    let truncated: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 97, 112, 105, 0, 0, 0]
    #expect(throws: DNSParseError.truncated) { try DNSMessage(parsing: truncated) }
  }

  @Test("Given an A record of 5 bytes, when parsed, then the record data is refused")
  func badRecordData() {
    var writer = DNSWriter()
    for value: UInt16 in [1, 0x8000, 0, 1, 0, 0] { writer.u16(value) }
    writer.name(Self.name)
    for value: UInt16 in [1, 1, 0, 60, 5] { writer.u16(value) }
    writer.append([1, 2, 3, 4, 5])
    #expect(throws: DNSParseError.badRecordData(type: 1)) { try DNSMessage(parsing: writer.bytes) }
  }

  @Test("Given names in mixed case, then they match case-insensitively and the canonical form is lowercase")
  func caseInsensitiveNames() throws {
    let mixed = try #require(DNSName("API.Example.COM."))
    #expect(mixed.matches(Self.name))
    #expect(mixed.isSubdomain(of: DNSName("example.com")!))
    #expect(!DNSName("example.com")!.isSubdomain(of: mixed))
    #expect(mixed.canonicalWire == Self.name.canonicalWire)
    #expect(DNSName(String(repeating: "a", count: 64) + ".com") == nil)
  }

  @Test("Given IPv6 text, then it converts to 16 bytes and back in the shortest form")
  func ipv6Text() throws {
    let bytes = try #require(IPAddressText.ipv6("2001:db8::1"))
    #expect(bytes.count == 16)
    #expect(IPAddressText.ipv6(bytes) == "2001:db8::1")
    #expect(IPAddressText.ipv6("1:2:3:4:5:6:7:8:9") == nil)
    #expect(IPAddressText.ipv4("192.0.2.300") == nil)
  }

  @Test(
    "Given a request signed with a TSIG key, then the signature checks with the key and fails with another")
  func tsigSignAndVerify() throws {
    let key = try #require(TSIGKey(name: "sb-key", secretBase64: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="))
    let other = try #require(TSIGKey(name: "sb-key", secretBase64: "b3RoZXItb3RoZXItb3RoZXItb3RoZXIhIQ=="))
    let request = DNSMessage(id: 7, questions: [DNSQuestion(name: Self.name, type: DNSType.soa)])
    let (bytes, mac) = TSIGSigner.sign(request, key: key, now: 1_700_000_000)
    let parsed = try DNSMessage(parsing: bytes)
    #expect(parsed.tsig?.data.mac == mac)
    #expect(mac.count == 32)
    // A response signed the way servers sign: the request's MAC first.
    var response = DNSMessage(id: 7, questions: request.questions)
    response.isResponse = true
    let signedResponse = TSIGSigner.signResponse(response, key: key, requestMAC: mac, now: 1_700_000_001)
    let parsedResponse = try DNSMessage(parsing: signedResponse)
    #expect(
      TSIGSigner.verify(response: signedResponse, parsed: parsedResponse, requestMAC: mac, key: key) == nil)
    #expect(
      TSIGSigner.verify(response: signedResponse, parsed: parsedResponse, requestMAC: mac, key: other)
        == .badMAC)
    #expect("\(key)".contains("c2Vj") == false)
  }
}
