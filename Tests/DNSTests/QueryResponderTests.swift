import DNS
import FailoverCore
import Testing

@Suite("Built-in DNS: answers from the zones, negative answers, refusals, EDNS and truncation")
struct QueryResponderTests {
  static let apex = DNSName("example.com")!
  static let api = DNSName("api.example.com")!

  /// A zone with api.example.com A 192.0.2.10 at serial 100.
  static func zones() async throws -> BuiltinZones {
    let zones = BuiltinZones([ZoneAuthority(apex: apex)], initialSerial: 100)
    zones.seed([DNSRecord(name: "api.example.com", type: "A", ttl: 60, values: ["192.0.2.10"])])
    return zones
  }

  static func ask(
    _ responder: QueryResponder, _ name: DNSName, _ type: UInt16, edns: UInt16? = nil, tcp: Bool = false
  ) throws -> DNSMessage {
    var query = DNSMessage(id: 42, questions: [DNSQuestion(name: name, type: type)])
    query.recursionDesired = true
    if let edns { query.additionals = [EDNSOptions(udpPayloadSize: edns).record] }
    let bytes = try #require(responder.respond(to: query.serialized(), overTCP: tcp))
    return try DNSMessage(parsing: bytes)
  }

  @Test(
    "Given a service name in mixed case, when asked for A, then the answer is authoritative with RA clear")
  func answersServiceName() async throws {
    let responder = QueryResponder(zones: try await Self.zones())
    let answer = try Self.ask(responder, DNSName("API.example.COM")!, DNSType.a)
    #expect(answer.id == 42)
    #expect(answer.isResponse && answer.isAuthoritative && !answer.recursionAvailable)
    #expect(answer.rcode == DNSRCode.noError)
    #expect(answer.answers.map(\.data) == [.a([192, 0, 2, 10])])
    #expect(answer.answers.first?.ttl == 60)
  }

  @Test(
    "Given an unknown name in the zone, then NXDOMAIN with the SOA; a known name of another type is NODATA")
  func negativeAnswers() async throws {
    let responder = QueryResponder(zones: try await Self.zones())
    let missing = try Self.ask(responder, DNSName("nope.example.com")!, DNSType.a)
    #expect(missing.rcode == DNSRCode.nxDomain)
    #expect(missing.authorities.map(\.type) == [DNSType.soa])
    let nodata = try Self.ask(responder, Self.api, DNSType.aaaa)
    #expect(nodata.rcode == DNSRCode.noError && nodata.answers.isEmpty)
    #expect(nodata.authorities.map(\.type) == [DNSType.soa])
  }

  @Test("Given the apex, then SOA and NS answer; a name outside every zone is REFUSED without recursion")
  func apexAndRefused() async throws {
    let responder = QueryResponder(zones: try await Self.zones())
    let soa = try Self.ask(responder, Self.apex, DNSType.soa)
    guard case .soa(let data) = soa.answers.first?.data else {
      Issue.record("no SOA in \(soa)")
      return
    }
    #expect(data.serial == 100)
    #expect(
      try Self.ask(responder, Self.apex, DNSType.ns).answers.map(\.data) == [
        .name(DNSName("ns1.example.com")!)
      ])
    let other = try Self.ask(responder, DNSName("www.example.org")!, DNSType.a)
    #expect(other.rcode == DNSRCode.refused && other.answers.isEmpty && !other.recursionAvailable)
  }

  @Test(
    "Given a routing change through the DNSProvider port, then the next answer has it and the serial rises")
  func changesAreImmediate() async throws {
    let zones = try await Self.zones()
    let responder = QueryResponder(zones: zones)
    let receipt = try await zones.submit(
      DNSChangeBatch(
        zoneID: "example.com",
        changes: [
          DNSChange(.upsert, DNSRecord(name: "api.example.com", type: "A", ttl: 60, values: ["192.0.2.11"]))
        ]))
    #expect(receipt.status == .inSync)
    #expect(try Self.ask(responder, Self.api, DNSType.a).answers.map(\.data) == [.a([192, 0, 2, 11])])
    #expect(zones.serial(of: "example.com") == 101)
    #expect(
      try await zones.records(zoneID: "example.com", name: "api.example.com").map(\.values) == [
        ["192.0.2.11"]
      ])
  }

  @Test("Given weighted records, then only the regions with weight are answered")
  func weighted() async throws {
    let zones = BuiltinZones([ZoneAuthority(apex: Self.apex)], initialSerial: 1)
    zones.seed([
      DNSRecord(
        name: "api.example.com", type: "A", ttl: 30, values: ["192.0.2.10"],
        routing: .weighted(weight: 0, setIdentifier: "east")),
      DNSRecord(
        name: "api.example.com", type: "A", ttl: 30, values: ["192.0.2.11"],
        routing: .weighted(weight: 100, setIdentifier: "west")),
    ])
    let answer = try Self.ask(QueryResponder(zones: zones), Self.api, DNSType.a)
    #expect(answer.answers.map(\.data) == [.a([192, 0, 2, 11])])
  }

  @Test(
    "Given EDNS with a small size and a large answer, then UDP truncates with TC and TCP carries it whole")
  func truncationAndTCP() async throws {
    let zones = BuiltinZones([ZoneAuthority(apex: Self.apex)], initialSerial: 1)
    let many = (1...60).map { "192.0.2.\($0)" }
    zones.seed([DNSRecord(name: "api.example.com", type: "A", ttl: 30, values: many)])
    let responder = QueryResponder(zones: zones)
    let udp = try Self.ask(responder, Self.api, DNSType.a, edns: 512)
    #expect(udp.isTruncated && udp.answers.isEmpty)
    #expect(udp.edns?.udpPayloadSize == QueryResponder.advertisedPayloadSize)
    let big = try Self.ask(responder, Self.api, DNSType.a, edns: 4096)
    #expect(!big.isTruncated && big.answers.count == 60)
    let tcp = try Self.ask(responder, Self.api, DNSType.a, tcp: true)
    #expect(!tcp.isTruncated && tcp.answers.count == 60)
  }

  @Test(
    "Given malformed bytes, then FORMERR when the header is readable and nothing otherwise; responses are ignored"
  )
  func malformed() async throws {
    let responder = QueryResponder(zones: try await Self.zones())
    #expect(responder.respond(to: [1, 2, 3], overTCP: false) == nil)
    let garbage: [UInt8] = [0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
    let reply = try DNSMessage(parsing: try #require(responder.respond(to: garbage, overTCP: false)))
    #expect(reply.id == 9 && reply.rcode == DNSRCode.formErr && reply.isResponse)
    var response = DNSMessage(id: 1, questions: [DNSQuestion(name: Self.api, type: DNSType.a)])
    response.isResponse = true
    #expect(responder.respond(to: response.serialized(), overTCP: false) == nil)
  }

  @Test("Given EDNS version 1, then BADVERS; given an UPDATE to the built-in server, then NOTIMP")
  func badVersionAndOpcode() async throws {
    let responder = QueryResponder(zones: try await Self.zones())
    var query = DNSMessage(id: 5, questions: [DNSQuestion(name: Self.api, type: DNSType.a)])
    query.additionals = [EDNSOptions(udpPayloadSize: 1232, version: 1).record]
    let reply = try DNSMessage(
      parsing: try #require(responder.respond(to: query.serialized(), overTCP: false)))
    #expect(reply.edns?.extendedRCode == 1)
    var update = DNSMessage(id: 6, questions: [DNSQuestion(name: Self.apex, type: DNSType.soa)])
    update.opcode = DNSOpcode.update
    let refused = try DNSMessage(
      parsing: try #require(responder.respond(to: update.serialized(), overTCP: false)))
    #expect(refused.rcode == DNSRCode.notImp)
  }

  @Test(
    "Given a source over its budget, then the limiter refuses it within the second and allows it the next")
  func rateLimit() {
    let limiter = SourceRateLimiter(responsesPerSecond: 3)
    let source: [UInt8] = [127, 0, 0, 1]
    #expect((0..<5).map { _ in limiter.allows(source, now: 10) } == [true, true, true, false, false])
    #expect(limiter.allows([127, 0, 0, 2], now: 10))
    #expect(limiter.allows(source, now: 11))
  }
}

@Suite("Built-in DNS: repeated questions and routing changes")
struct QueryResponderCacheTests {
  @Test(
    "Given the same question asked twice around a change, then the second answer has the change and its own id"
  )
  func repeatedQuestionSeesTheChange() async throws {
    let zones = try await QueryResponderTests.zones()
    let responder = QueryResponder(zones: zones)
    let first = try QueryResponderTests.ask(responder, QueryResponderTests.api, DNSType.a)
    #expect(first.answers.map(\.data) == [.a([192, 0, 2, 10])])
    _ = try await zones.submit(
      DNSChangeBatch(
        zoneID: "example.com",
        changes: [
          DNSChange(.upsert, DNSRecord(name: "api.example.com", type: "A", ttl: 60, values: ["192.0.2.11"]))
        ]))
    var query = DNSMessage(id: 99, questions: [DNSQuestion(name: QueryResponderTests.api, type: DNSType.a)])
    query.recursionDesired = true
    let second = try DNSMessage(
      parsing: try #require(responder.respond(to: query.serialized(), overTCP: false)))
    #expect(second.id == 99)
    #expect(second.answers.map(\.data) == [.a([192, 0, 2, 11])])
  }
}
