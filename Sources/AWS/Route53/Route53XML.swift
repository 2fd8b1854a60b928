import FailoverCore
import Foundation

/// Encoding and decoding of the Route53 2013-04-01 XML documents.
enum Route53XML {
  static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

  static func changeBatch(_ batch: DNSChangeBatch) -> String {
    var writer = XMLWriter()
    writer.element("ChangeResourceRecordSetsRequest", attributes: [("xmlns", namespace)]) { w in
      w.element("ChangeBatch") { w in
        w.optional("Comment", batch.comment)
        w.element("Changes") { w in
          for change in batch.changes {
            w.element("Change") { w in
              w.element("Action", change.action.rawValue)
              recordSet(change.record, into: &w)
            }
          }
        }
      }
    }
    return writer.document
  }

  static func recordSet(_ record: DNSRecord, into w: inout XMLWriter) {
    // Elements in the schema's order: Route53 validates the sequence.
    w.element("ResourceRecordSet") { w in
      w.element("Name", record.name)
      w.element("Type", record.type)
      switch record.routing {
      case .simple:
        break
      case .weighted(let weight, let id):
        w.element("SetIdentifier", id)
        w.element("Weight", String(weight))
      case .failover(let role, let id):
        w.element("SetIdentifier", id)
        w.element("Failover", role.rawValue)
      }
      if record.alias == nil {
        w.optional("TTL", record.ttl.map(String.init))
        w.element("ResourceRecords") { w in
          for value in record.values {
            w.element("ResourceRecord") { w in w.element("Value", value) }
          }
        }
      }
      if let alias = record.alias {
        w.element("AliasTarget") { w in
          w.element("HostedZoneId", alias.hostedZoneID)
          w.element("DNSName", alias.dnsName)
          w.element("EvaluateTargetHealth", alias.evaluateTargetHealth ? "true" : "false")
        }
      }
      w.optional("HealthCheckId", record.healthCheckID)
    }
  }

  static func record(from node: XMLTree) -> DNSRecord {
    let name = decodeName(node.value("Name") ?? "")
    let setIdentifier = node.value("SetIdentifier")
    var routing = DNSRecord.Routing.simple
    if let id = setIdentifier {
      if let failover = node.value("Failover"), let role = DNSRecord.FailoverRole(rawValue: failover) {
        routing = .failover(role: role, setIdentifier: id)
      } else if let weight = node.value("Weight").flatMap(Int.init) {
        routing = .weighted(weight: weight, setIdentifier: id)
      }
    }
    let values =
      node.child("ResourceRecords")?.children("ResourceRecord").compactMap { $0.value("Value") } ?? []
    let alias = node.child("AliasTarget").map {
      DNSRecord.AliasTarget(
        hostedZoneID: $0.value("HostedZoneId") ?? "", dnsName: decodeName($0.value("DNSName") ?? ""),
        evaluateTargetHealth: $0.value("EvaluateTargetHealth") == "true")
    }
    // Alias records have no TTL; some servers still send 0.
    let ttl = alias == nil ? node.value("TTL").flatMap(Int.init) : nil
    return DNSRecord(
      name: name, type: node.value("Type") ?? "", ttl: ttl, values: values,
      routing: routing, healthCheckID: node.value("HealthCheckId").flatMap { $0.isEmpty ? nil : $0 },
      alias: alias)
  }

  /// Drops the trailing dot and decodes Route53's `\NNN` octal escapes (`\052` is `*`).
  static func decodeName(_ raw: String) -> String {
    var text = raw.hasSuffix(".") ? String(raw.dropLast()) : raw
    guard text.contains("\\") else { return text }
    var out = ""
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      if character == "\\", let end = text.index(index, offsetBy: 4, limitedBy: text.endIndex),
        let code = UInt8(text[text.index(after: index)..<end], radix: 8)
      {
        out.unicodeScalars.append(Unicode.Scalar(code))
        index = end
      } else {
        out.append(character)
        index = text.index(after: index)
      }
    }
    text = out
    return text
  }

  /// Strips `/hostedzone/`, `/change/` or `/healthcheck/` prefixes.
  static func bareID(_ id: String) -> String {
    id.split(separator: "/").last.map(String.init) ?? id
  }

  static func healthCheckConfig(_ config: HealthCheckConfig, into w: inout XMLWriter) {
    w.element("HealthCheckConfig") { w in
      w.optional("IPAddress", config.ipAddress)
      w.optional("Port", config.port.map(String.init))
      w.element("Type", config.type)
      w.optional("ResourcePath", config.resourcePath)
      w.optional("FullyQualifiedDomainName", config.fullyQualifiedDomainName)
      w.optional("SearchString", config.searchString)
      w.element("RequestInterval", String(config.requestInterval))
      w.element("FailureThreshold", String(config.failureThreshold))
      w.element("Inverted", config.inverted ? "true" : "false")
      w.element("Disabled", config.disabled ? "true" : "false")
      w.optional("EnableSNI", config.enableSNI.map { $0 ? "true" : "false" })
    }
  }

  static func healthCheck(from node: XMLTree) -> HealthCheck {
    let config = node.child("HealthCheckConfig") ?? XMLTree(name: "HealthCheckConfig")
    return HealthCheck(
      id: node.value("Id") ?? "", callerReference: node.value("CallerReference") ?? "",
      version: node.value("HealthCheckVersion").flatMap(Int.init) ?? 1,
      config: HealthCheckConfig(
        type: config.value("Type") ?? "", fullyQualifiedDomainName: config.value("FullyQualifiedDomainName"),
        ipAddress: config.value("IPAddress"), port: config.value("Port").flatMap(Int.init),
        resourcePath: config.value("ResourcePath"), searchString: config.value("SearchString"),
        requestInterval: config.value("RequestInterval").flatMap(Int.init) ?? 30,
        failureThreshold: config.value("FailureThreshold").flatMap(Int.init) ?? 3,
        inverted: config.value("Inverted") == "true", disabled: config.value("Disabled") == "true",
        enableSNI: config.value("EnableSNI").map { $0 == "true" }))
  }

  static func update(_ update: HealthCheckUpdate) -> String {
    var writer = XMLWriter()
    writer.element("UpdateHealthCheckRequest", attributes: [("xmlns", namespace)]) { w in
      w.optional("HealthCheckVersion", update.expectedVersion.map(String.init))
      w.optional("IPAddress", update.ipAddress)
      w.optional("Port", update.port.map(String.init))
      w.optional("ResourcePath", update.resourcePath)
      w.optional("FullyQualifiedDomainName", update.fullyQualifiedDomainName)
      w.optional("SearchString", update.searchString)
      w.optional("FailureThreshold", update.failureThreshold.map(String.init))
      w.optional("Inverted", update.inverted.map { $0 ? "true" : "false" })
      w.optional("Disabled", update.disabled.map { $0 ? "true" : "false" })
      w.optional("EnableSNI", update.enableSNI.map { $0 ? "true" : "false" })
    }
    return writer.document
  }

  static func parseDate(_ text: String?) -> Date? {
    guard let text else { return nil }
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    // moto writes naive timestamps without a zone; they are UTC.
    return formatter.date(from: text + "Z") ?? ISO8601DateFormatter().date(from: text + "Z")
  }
}
