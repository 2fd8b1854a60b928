import Dispatch
import FailoverCore
import Foundation
import Logging
import Synchronization

/// The `DNSProvider` for a zone on any server that takes RFC 2136 dynamic updates signed with TSIG (BIND, Knot,
/// PowerDNS). Reads with queries; writes with an UPDATE whose prerequisites make it a compare-and-set against
/// what Switchboard last wrote; verifies by querying. One exchange at a time per zone; timeouts are retried
/// with backoff.
public final class RFC2136Provider: DNSProvider, Sendable {
  /// The zone updated.
  public let zone: DNSName
  private let key: TSIGKey
  private let client: DNSClient
  private let attempts: Int
  private let backoff: Double
  private let logger: Logger
  /// Serializes every exchange with the server: one update in flight per zone.
  private let queue: DispatchQueue
  private let changes = Mutex<[String: [DNSRecord]]>([:])
  private let counter = Atomic<Int>(0)

  /// A provider for `zone` on `server`, signing with `key`; `attempts` tries per exchange on timeouts, waiting
  /// `backoff`, then twice that, between them.
  public init(
    server: DNSListenAddress, zone: DNSName, key: TSIGKey, timeout: Double = 2, attempts: Int = 3,
    backoff: Double = 0.2, logger: Logger = Logger(label: "switchboard.rfc2136")
  ) {
    self.zone = zone.lowercased
    self.key = key
    client = DNSClient(server: server, timeout: timeout)
    self.attempts = max(1, attempts)
    self.backoff = backoff
    self.logger = logger
    queue = DispatchQueue(label: "switchboard.rfc2136.\(zone)")
  }

  /// The prefix of the change ids this provider hands out.
  public static let changeIDPrefix = "rfc2136-"

  // MARK: DNSProvider

  public func hostedZoneID(forDomain domain: String) async throws -> String { zone.description }

  public func records(zoneID: String, name: String) async throws -> [DNSRecord] {
    try await onQueue { try self.read(name) }
  }

  public func submit(_ batch: DNSChangeBatch) async throws -> DNSChangeReceipt {
    let written = batch.changes.filter { $0.action != .delete }.map(\.record)
    try await onQueue { try self.update(batch) }
    let id = "\(Self.changeIDPrefix)\(zone)-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
    changes.withLock { $0[id] = written }
    let status = try await changeStatus(id: id)
    logger.info("RFC 2136 update \(id) accepted by \(client.server) for zone \(zone) (\(status.rawValue)).")
    return DNSChangeReceipt(id: id, status: status, submittedAt: Date())
  }

  /// INSYNC once the server answers every record the change wrote.
  public func changeStatus(id: String) async throws -> DNSChangeStatus {
    guard let written = changes.withLock({ $0[id] }) else { return .inSync }
    for record in written {
      let actual = try await records(zoneID: zone.description, name: record.name)
      let values = actual.first { $0.type.uppercased() == record.type.uppercased() }?.values ?? []
      if Set(values.map(Self.normalized)) != Set(record.values.map(Self.normalized)) { return .pending }
    }
    return .inSync
  }

  // MARK: Exchanges (on the zone's queue)

  private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      queue.async { continuation.resume(with: Result { try work() }) }
    }
  }

  /// The A, AAAA and CNAME record sets of a name, as the server answers them.
  private func read(_ name: String) throws -> [DNSRecord] {
    guard let owner = DNSName(name) else { return [] }
    var found: [DNSRecord] = []
    for type in [DNSType.a, DNSType.aaaa, DNSType.cname] {
      var query = DNSMessage(
        id: UInt16.random(in: 0...UInt16.max), questions: [DNSQuestion(name: owner, type: type)])
      query.additionals = [EDNSOptions(udpPayloadSize: QueryResponder.advertisedPayloadSize).record]
      var answer = try exchange(query.serialized(), overTCP: false)
      if answer.isTruncated { answer = try exchange(query.serialized(), overTCP: true) }
      if answer.rcode == DNSRCode.refused || answer.rcode == DNSRCode.notAuth {
        let kind: DNSProviderError.Kind = answer.rcode == DNSRCode.refused ? .refused : .notAuthorized
        let code: String = DNSRCode.name(answer.rcode)
        let sentence: String =
          "The DNS server \(client.server) refused to answer for \(owner) (\(code)); is it authoritative for \(zone)?"
        throw DNSProviderError(kind, sentence)
      }
      let matching = answer.answers.filter { $0.type == type && $0.name.matches(owner) }
      guard let first = matching.first else { continue }
      found.append(
        DNSRecord(
          name: owner.lowercased.description, type: DNSType.name(type), ttl: Int(first.ttl),
          values: matching.map(\.data.text)))
    }
    return found
  }

  private func update(_ batch: DNSChangeBatch) throws {
    let message: DNSMessage
    do {
      message = try UpdateMessage.build(batch, zone: zone, id: UInt16.random(in: 0...UInt16.max))
    } catch {
      throw DNSProviderError(.refused, "The change cannot be sent as an RFC 2136 update: \(error).")
    }
    var timedOut = false
    for attempt in 1...attempts {
      let (bytes, mac) = TSIGSigner.sign(message, key: key, now: UInt64(Date().timeIntervalSince1970))
      let result: Result<[UInt8], DNSClient.Failure> = send(bytes)
      switch result {
      case .failure(let failure):
        guard case .timeout(let text) = failure, attempt < attempts else { throw failure }
        timedOut = true
        logger.warning(
          "RFC 2136 update to \(client.server) timed out (\(text)); retrying (attempt \(attempt)).")
        Thread.sleep(forTimeInterval: delay(after: attempt))
      case .success(let raw):
        guard let answer = try? DNSMessage(parsing: raw) else {
          throw DNSClient.Failure.malformed("the DNS server \(client.server) sent an unreadable answer")
        }
        try check(answer, raw: raw, requestMAC: mac, batch: batch, afterTimeout: timedOut)
        return
      }
    }
  }

  /// One update exchange over TCP.
  private func send(_ bytes: [UInt8]) -> Result<[UInt8], DNSClient.Failure> {
    do {
      return .success(try client.exchange(bytes, overTCP: true))
    } catch {
      return .failure(error)
    }
  }

  /// Throws the sentence for an answer that is not NOERROR with a valid signature.
  private func check(
    _ answer: DNSMessage, raw: [UInt8], requestMAC: [UInt8], batch: DNSChangeBatch, afterTimeout: Bool
  )
    throws
  {
    let rcode = answer.rcode
    let tsigError = answer.tsig?.data.error ?? 0
    if rcode == DNSRCode.notAuth || tsigError != 0 {
      let name: String = Self.tsigErrorName(tsigError)
      let detail: String = tsigError != 0 ? "NOTAUTH(\(name))" : "NOTAUTH"
      let sentence: String =
        "The DNS server \(client.server) rejected the update with \(detail): it does not accept the TSIG key \(key.name) for zone \(zone); check the key's name and secret (and the clocks, for BADTIME)."
      throw DNSProviderError(.notAuthorized, sentence)
    }
    if rcode == DNSRCode.refused {
      var names: [String] = []
      for change in batch.changes { names.append(change.record.name) }
      let list: String = names.joined(separator: ", ")
      let sentence: String =
        "The DNS server \(client.server) refused the update (REFUSED): its policy does not let the key \(key.name) change \(list) in zone \(zone) (see its update-policy or allow-update)."
      throw DNSProviderError(.refused, sentence)
    }
    if rcode == DNSRCode.notZone {
      throw DNSProviderError(
        .unknownZone, "The DNS server \(client.server) is not the primary of zone \(zone) (NOTZONE).")
    }
    let prerequisiteCodes: [UInt16] = [
      DNSRCode.nxRRSet, DNSRCode.yxRRSet, DNSRCode.nxDomain, DNSRCode.yxDomain,
    ]
    if prerequisiteCodes.contains(rcode) {
      if afterTimeout, (try? alreadyApplied(batch)) == true { return }
      throw DNSProviderError(.prerequisiteFailed, prerequisiteSentence(batch, rcode: rcode))
    }
    guard rcode == DNSRCode.noError else {
      throw DNSClient.Failure.unreachable(
        "the DNS server \(client.server) answered the update with \(DNSRCode.name(rcode))")
    }
    if let failure = TSIGSigner.verify(response: raw, parsed: answer, requestMAC: requestMAC, key: key) {
      let sentence: String =
        "The DNS server \(client.server)'s answer to the update is not signed with the key \(key.name) (\(failure)); the change may have been applied by someone else's server."
      throw DNSProviderError(.notAuthorized, sentence)
    }
  }

  /// Whether the server already holds what the batch writes (an earlier, timed-out try got through).
  private func alreadyApplied(_ batch: DNSChangeBatch) throws -> Bool {
    for change in batch.changes where change.action != .delete {
      let actual = try read(change.record.name).first { $0.type == change.record.type.uppercased() }
      if Set((actual?.values ?? []).map(Self.normalized)) != Set(change.record.values.map(Self.normalized)) {
        return false
      }
    }
    return true
  }

  private func prerequisiteSentence(_ batch: DNSChangeBatch, rcode: UInt16) -> String {
    var parts: [String] = []
    for change in batch.changes {
      let record = change.record
      let type = record.type.uppercased()
      let current: [DNSRecord] = (try? read(record.name)) ?? []
      let holds: String = current.first { $0.type == type }?.values.joined(separator: ", ") ?? "nothing"
      var was = "nothing"
      for expected in batch.expected ?? []
      where Self.normalized(expected.name) == Self.normalized(record.name) {
        if expected.type.uppercased() == type { was = expected.values.joined(separator: ", ") }
      }
      parts.append("\(type) \(record.name) holds \(holds), not \(was) as Switchboard last wrote")
    }
    let code = DNSRCode.name(rcode)
    let detail = parts.joined(separator: "; ")
    let sentence: String =
      "The DNS server \(client.server) refused the update because its prerequisite failed (\(code)): someone else changed the record behind Switchboard's back (\(detail)). Switchboard did not overwrite it; check who changed it, then retry the failover."
    return sentence
  }

  /// Sends with retries on timeouts, backing off between them.
  private func exchange(_ bytes: [UInt8], overTCP: Bool) throws -> DNSMessage {
    var attempt = 1
    while true {
      let result: Result<[UInt8], DNSClient.Failure>
      do {
        result = .success(try client.exchange(bytes, overTCP: overTCP))
      } catch {
        result = .failure(error)
      }
      switch result {
      case .success(let raw):
        return try DNSMessage(parsing: raw)
      case .failure(let failure):
        guard case .timeout(let text) = failure, attempt < attempts else { throw failure }
        logger.warning("Query to \(client.server) timed out (\(text)); retrying.")
        Thread.sleep(forTimeInterval: delay(after: attempt))
        attempt += 1
      }
    }
  }

  /// The wait before the next try: `backoff`, then twice as long each time.
  private func delay(after attempt: Int) -> Double {
    let factor: Double = Double(1 << min(attempt - 1, 10))
    return backoff * factor
  }

  static func tsigErrorName(_ code: UInt16) -> String {
    switch code {
    case DNSRCode.badSig: "BADSIG"
    case DNSRCode.badKey: "BADKEY"
    case DNSRCode.badTime: "BADTIME"
    default: "TSIG error \(code)"
    }
  }

  static func normalized(_ value: String) -> String {
    var text = value.lowercased()
    while text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
