import FailoverCore
import Foundation
import HTTPServer
import Yams

// The `dns:` section and each service's `provider`.
extension ConfigDecoder {
  func decodeDNS(_ dns: MappingReader) -> DNSSettings {
    dns.allowKeys(["listen", "zones", "name_servers", "mailbox", "negative_ttl", "rate_limit", "rfc2136"])
    var settings = DNSSettings()
    if let node = dns.value("listen") {
      let items: [Node] = node.sequence.map(Array.init) ?? [node]
      var addresses: [ListenAddress] = []
      for item in items {
        guard let text = item.string, let address = try? ListenAddress(parsing: text), !address.host.isEmpty
        else {
          problems.add(
            item.mark,
            "`dns.listen` must be IP:PORT (e.g. 127.0.0.1:8053) or a list of them, not \(MappingReader.kind(item))."
          )
          continue
        }
        addresses.append(address)
      }
      if !addresses.isEmpty { settings.listen = addresses }
    }
    settings.zones = names(dns, "zones")
    settings.nameServers = names(dns, "name_servers")
    if let mailbox = dns.string("mailbox") {
      if Self.isHostName(mailbox) {
        settings.mailbox = Self.trimDot(mailbox)
      } else {
        problems.add(
          dns.value("mailbox")?.mark,
          "`dns.mailbox` must be the SOA mailbox as a name (hostmaster.example.com), not \"\(mailbox)\".")
      }
    }
    if let ttl = dns.int("negative_ttl", in: 0...86400) { settings.negativeTTL = ttl }
    if let limit = dns.int("rate_limit", in: 0...1_000_000) { settings.rateLimit = limit }
    if let rfc2136 = dns.mappingReader("rfc2136") { settings.rfc2136 = decodeRFC2136(rfc2136) }
    return settings
  }

  func decodeRFC2136(_ section: MappingReader) -> RFC2136Settings? {
    section.allowKeys(["server", "zone", "timeout", "tsig"])
    var server: ListenAddress?
    if let text = section.string("server", required: "the primary server's IP:PORT (port 53 by default)") {
      let withPort = text.contains(":") && !text.hasSuffix("]") ? text : "\(text):53"
      server = try? ListenAddress(parsing: withPort)
      if server == nil || server?.host.isEmpty == true {
        problems.add(
          section.value("server")?.mark,
          "`dns.rfc2136.server` must be the primary's IP or IP:PORT (e.g. 127.0.0.1:5354), not \"\(text)\".")
        server = nil
      }
    }
    var zone: String?
    if let text = section.string("zone") {
      if Self.isHostName(text) {
        zone = Self.trimDot(text)
      } else {
        problems.add(
          section.value("zone")?.mark, "`dns.rfc2136.zone` must be a domain name, not \"\(text)\".")
      }
    }
    let timeout = section.duration("timeout", in: 0.1...60)
    guard let tsig = section.mappingReader("tsig") else {
      section.missing("tsig", "the TSIG key that signs updates (`name` and `secret` or `secret_env`)")
      return nil
    }
    tsig.allowKeys(["name", "algorithm", "secret", "secret_env"])
    let name = tsig.string("name", required: "the key's name, as the server knows it (e.g. sb-key)")
    if let algorithm = tsig.string("algorithm"), algorithm.lowercased() != "hmac-sha256" {
      problems.add(
        tsig.value("algorithm")?.mark,
        "`dns.rfc2136.tsig.algorithm` must be hmac-sha256, not \"\(algorithm)\".")
    }
    let secret = tsig.string("secret")
    if let secret, Data(base64Encoded: secret) == nil {
      problems.add(
        tsig.value("secret")?.mark,
        "`dns.rfc2136.tsig.secret` must be the key's base64 secret, as tsig-keygen prints it (its value is not "
          + "shown).")
    }
    let variable = tsig.string("secret_env")
    if secret != nil && variable != nil {
      problems.add(
        tsig.value("secret_env")?.mark,
        "`dns.rfc2136.tsig` has both `secret` and `secret_env`; keep one (`secret_env` keeps it out of the file)."
      )
    }
    guard let server, let name else { return nil }
    var settings = RFC2136Settings(server: server, zone: zone, keyName: name)
    settings.secret = secret
    settings.secretVariable = variable
    if let timeout { settings.timeout = timeout }
    return settings
  }

  /// `services[].provider`: route53 (default), rfc2136 or builtin.
  func decodeProvider(_ node: Node, path: String) -> DNSProviderChoice? {
    guard let value = node.mapping?["provider"] else { return nil }
    guard let text = value.string, let choice = DNSProviderChoice(rawValue: text) else {
      let shown = value.string.map { "\"\($0)\"" } ?? MappingReader.kind(value)
      let suggestion = value.string.flatMap {
        MappingReader.closest(to: $0, in: DNSProviderChoice.allCases.map(\.rawValue))
      }
      problems.add(
        value.mark,
        "`\(path).provider` must be route53, rfc2136 or builtin, not \(shown)"
          + (suggestion.map { "; did you mean \($0)?" } ?? "."))
      return nil
    }
    return choice
  }

  private func names(_ owner: MappingReader, _ key: String) -> [String] {
    var result: [String] = []
    for item in owner.sequence(key) ?? [] {
      if let text = item.string, Self.isHostName(text) {
        result.append(Self.trimDot(text))
      } else {
        problems.add(
          item.mark, "`\(owner.path(key))` entries must be domain names, not \(MappingReader.kind(item)).")
      }
    }
    return result
  }

  static func isHostName(_ text: String) -> Bool {
    let trimmed = trimDot(text)
    return !trimmed.isEmpty && trimmed.count <= 253
      && trimmed.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
        !$0.isEmpty && $0.count <= 63
          && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
      }
  }
}
