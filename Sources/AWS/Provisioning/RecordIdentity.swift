import FailoverCore
import Foundation

/// What identifies a record set: lower-cased name without the trailing dot, type, set identifier.
struct RecordIdentity: Hashable, Sendable, CustomStringConvertible {
  var name: String
  var type: String
  var setIdentifier: String?

  init(_ record: DNSRecord) {
    self.init(record, setIdentifier: record.setIdentifier)
  }

  /// The identity of a record's name and type under another set identifier.
  init(_ record: DNSRecord, setIdentifier: String?) {
    name = Route53Client.normalized(record.name)
    type = record.type.uppercased()
    self.setIdentifier = setIdentifier
  }

  var description: String {
    "\(name) \(type)" + (setIdentifier.map { " (set \($0))" } ?? "")
  }
}
