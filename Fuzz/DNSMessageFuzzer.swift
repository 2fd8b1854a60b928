// libFuzzer target for the DNS message parser and serializer (built by scripts/fuzz-dns, not by SwiftPM).
//
// Properties checked on every input:
// - no crash, no trap, no sanitizer report (the parser never reads past the bytes, never follows a pointer loop);
// - a message that parses serializes to bytes that parse to the same message, names compared without case
//   (compression points at the first spelling of a name, as DNS compares names case-insensitively);
// - the serialized form is never larger than the uncompressed bound (no amplification from re-serializing).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
  guard let message = try? DNSMessage(parsing: bytes) else { return 0 }
  let again = message.serialized()
  let reparsed: DNSMessage
  do {
    reparsed = try DNSMessage(parsing: again)
  } catch {
    preconditionFailure("a parsed message does not parse after serializing: \(error)")
  }
  precondition(
    lowercased(reparsed) == lowercased(message), "serializing changed the message: \(message) vs \(reparsed)")
  let records = message.answers.count + message.authorities.count + message.additionals.count
  precondition(
    again.count <= 12 + (message.questions.count + records * 4) * 270 + count, "serialized form too large")
  _ = message.edns
  _ = message.tsig
  _ = try? DNSMessage.offsetOfLastRecord(in: bytes)
  return 0
}

/// The message with every name lowercased (owner names, questions, and names inside NS, CNAME, SOA, TSIG data).
func lowercased(_ message: DNSMessage) -> DNSMessage {
  func record(_ record: DNSResourceRecord) -> DNSResourceRecord {
    var copy = record
    copy.name = record.name.lowercased
    switch record.data {
    case .name(let name): copy.data = .name(name.lowercased)
    case .soa(var soa):
      soa.primary = soa.primary.lowercased
      soa.mailbox = soa.mailbox.lowercased
      copy.data = .soa(soa)
    case .tsig(var tsig):
      tsig.algorithm = tsig.algorithm.lowercased
      copy.data = .tsig(tsig)
    default: break
    }
    return copy
  }
  var copy = message
  copy.questions = message.questions.map {
    DNSQuestion(name: $0.name.lowercased, type: $0.type, questionClass: $0.questionClass)
  }
  copy.answers = message.answers.map(record)
  copy.authorities = message.authorities.map(record)
  copy.additionals = message.additionals.map(record)
  return copy
}
