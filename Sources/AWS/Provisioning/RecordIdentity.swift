import FailoverCore
import Foundation

/// What identifies a record set: lower-cased name without the trailing dot, type, set identifier.
struct RecordIdentity: Hashable, Sendable, CustomStringConvertible {
  var name: String
  var type: String
  var setIdentifier: String?

  init(_ record: DNSRecord) {
    name = Route53Client.normalized(record.name)
    type = record.type.uppercased()
    setIdentifier = record.setIdentifier
  }

  var description: String {
    "\(name) \(type)" + (setIdentifier.map { " (set \($0))" } ?? "")
  }
}
