import FailoverCore

/// Builds the RFC 2136 UPDATE that applies a change batch, its prerequisites making it a compare-and-set.
enum UpdateMessage {
  /// Why a batch cannot be expressed as an update.
  struct Unexpressible: Error, CustomStringConvertible {
    var description: String
  }

  /// The UPDATE for `batch` in `zone`: for each changed name and type, "the RRset holds exactly what Switchboard
  /// expects" (or "does not exist" for a create or an expected absence), then delete-and-add per record set.
  static func build(_ batch: DNSChangeBatch, zone: DNSName, id: UInt16) throws(Unexpressible) -> DNSMessage {
    var message = DNSMessage(id: id)
    message.opcode = DNSOpcode.update
    message.questions = [DNSQuestion(name: zone, type: DNSType.soa)]
    var prerequisites: [DNSResourceRecord] = []
    var updates: [DNSResourceRecord] = []
    for change in batch.changes {
      let (name, type) = try key(change.record)
      guard name.isSubdomain(of: zone) else {
        throw Unexpressible(description: "\(change.record.name) is not inside the zone \(zone)")
      }
      if let expected = batch.expected {
        var same: [DNSRecord] = []
        for record in expected {
          let (expectedName, expectedType) = try key(record)
          if expectedName.matches(name) && expectedType == type { same.append(record) }
        }
        if same.isEmpty {
          prerequisites.append(absent(name, type))
        } else {
          for record in same { prerequisites += try records(record, ttl: 0) }
        }
      } else if change.action == .create {
        prerequisites.append(absent(name, type))
      }
      switch change.action {
      case .create:
        updates += try records(change.record, ttl: nil)
      case .upsert:
        updates.append(
          DNSResourceRecord(name: name, type: type, recordClass: DNSClass.any, ttl: 0, data: .raw([])))
        updates += try records(change.record, ttl: nil)
      case .delete:
        updates.append(
          DNSResourceRecord(name: name, type: type, recordClass: DNSClass.any, ttl: 0, data: .raw([])))
      }
    }
    message.answers = prerequisites
    message.authorities = updates
    return message
  }

  /// "No RRset of this name and type" (class NONE, empty data).
  static func absent(_ name: DNSName, _ type: UInt16) -> DNSResourceRecord {
    DNSResourceRecord(name: name, type: type, recordClass: DNSClass.none, ttl: 0, data: .raw([]))
  }

  /// The wire records of a record set (TTL from the record unless given).
  static func records(_ record: DNSRecord, ttl: UInt32?) throws(Unexpressible) -> [DNSResourceRecord] {
    let (name, type) = try key(record)
    guard record.alias == nil else {
      throw Unexpressible(description: "\(record.name) is an alias record, which RFC 2136 cannot express")
    }
    var result: [DNSResourceRecord] = []
    for value in record.values {
      guard let data = BuiltinZones.recordData(type: type, value: value) else {
        throw Unexpressible(description: "\(value) is not a valid \(record.type) value")
      }
      result.append(
        DNSResourceRecord(name: name, type: type, ttl: ttl ?? UInt32(clamping: record.ttl ?? 60), data: data))
    }
    return result
  }

  static func key(_ record: DNSRecord) throws(Unexpressible) -> (DNSName, UInt16) {
    guard let name = DNSName(record.name), let type = DNSType.code(record.type) else {
      throw Unexpressible(description: "\(record.type) \(record.name) cannot be written by RFC 2136")
    }
    return (name, type)
  }
}
