/// Turns one query's bytes into the response's bytes: parse, check, resolve against the zones, size to the
/// transport. Never recurses; malformed queries get FORMERR (or nothing when even the header is missing).
public struct QueryResponder: Sendable {
  /// The UDP payload size Switchboard advertises in its OPT record.
  public static let advertisedPayloadSize: UInt16 = 1232
  /// The largest UDP response it sends, whatever the client advertises.
  public static let maximumUDPResponse = 4096

  let zones: BuiltinZones
  private let cache = ResponseCache()

  /// A responder answering from `zones`.
  public init(zones: BuiltinZones) { self.zones = zones }

  /// The response to `query`, or nil when nothing should be sent (a response, or not even a header).
  public func respond(to query: [UInt8], overTCP: Bool) -> [UInt8]? {
    guard query.count >= DNSMessage.headerSize, query[2] & 0x80 == 0 else { return nil }
    // The generation is read before resolving, so an answer computed across a change is never kept as current.
    let generation = zones.generation
    let key = ResponseCache.key(query, overTCP: overTCP)
    if let cached = cache.response(to: query, key: key, generation: generation) { return cached }
    var cacheable = true
    let response = build(query, overTCP: overTCP, cacheable: &cacheable)
    if let response, cacheable { cache.store(response, key: key, generation: generation) }
    return response
  }

  private func build(_ query: [UInt8], overTCP: Bool, cacheable: inout Bool) -> [UInt8]? {
    let request: DNSMessage
    do {
      request = try DNSMessage(parsing: query)
    } catch {
      return headerOnly(query, rcode: DNSRCode.formErr)
    }
    var response = DNSMessage(id: request.id)
    response.isResponse = true
    response.opcode = request.opcode
    response.recursionDesired = request.recursionDesired
    let options = request.additionals.filter { $0.type == DNSType.opt }
    guard options.count <= 1, request.questions.count == 1 else {
      return headerOnly(query, rcode: DNSRCode.formErr)
    }
    response.questions = request.questions
    let edns = options.first.map(EDNSOptions.init)
    var limit = overTCP ? 65535 : 512
    if let edns, !overTCP { limit = min(max(512, Int(edns.udpPayloadSize)), Self.maximumUDPResponse) }
    var opt = EDNSOptions(udpPayloadSize: Self.advertisedPayloadSize)
    if let edns, edns.version != 0 {
      // BADVERS (16): 1 in the OPT's upper bits, 0 in the header.
      opt.extendedRCode = 1
      response.additionals = [opt.record]
      return response.serialized()
    }
    let question = request.questions[0]
    if request.opcode != DNSOpcode.query {
      response.rcode = DNSRCode.notImp
    } else if question.type == DNSType.axfr || question.type == 251 {
      response.rcode = DNSRCode.refused
    } else {
      let resolution = zones.resolve(question)
      cacheable = resolution.cacheable
      response.rcode = resolution.rcode
      response.isAuthoritative = resolution.authoritative
      response.answers = resolution.answers
      response.authorities = resolution.authorities
    }
    if edns != nil { response.additionals = [opt.record] }
    let bytes = response.serialized()
    if bytes.count <= limit { return bytes }
    // Too big for the transport: the question alone with TC, so the client retries over TCP.
    response.answers = []
    response.authorities = []
    response.isTruncated = true
    return response.serialized()
  }

  /// A reply carrying only the query's id, opcode and RD bit and an error code.
  private func headerOnly(_ query: [UInt8], rcode: UInt16) -> [UInt8] {
    var response = DNSMessage(id: UInt16(query[0]) << 8 | UInt16(query[1]))
    response.isResponse = true
    response.opcode = (query[2] >> 3) & 0x0F
    response.recursionDesired = query[2] & 0x01 != 0
    response.rcode = rcode
    return response.serialized()
  }
}
