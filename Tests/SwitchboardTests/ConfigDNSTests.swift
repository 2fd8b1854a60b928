import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Testing

@Suite("Configuration: DNS providers per service and the dns: section")
struct ConfigDNSTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

  /// One service in two regions with `provider` and `routing`, then `extra` at the top level.
  static func yaml(provider: String, routing: String = "record", extra: String = "") -> String {
    """
    regions:
      - id: a
      - id: b
    services:
      - dns_name: api.example.com
        hosted_zone: example.com
        provider: \(provider)
        routing: \(routing)
        regions:
          - region: a
            target: 192.0.2.10
            signals: [{type: http, url: "http://127.0.0.1:9001/health"}]
          - region: b
            target: 192.0.2.20
            signals: [{type: http, url: "http://127.0.0.1:9002/health"}]
    \(extra)
    """
  }

  @Test(
    "Given the builtin-dns example, when loaded, then the service uses the built-in server on 127.0.0.1:8053")
  func builtinExample() throws {
    let path = Self.examples.appendingPathComponent("builtin-dns.yaml").path
    #expect(ConfigValidator.validate(path: path, environment: [:]) == [])
    let config = try SwitchboardConfig.load(path: path, environment: [:])
    #expect(config.dnsProvider(for: "api.example.com") == .builtin)
    #expect(config.dns.listen == [ListenAddress(host: "127.0.0.1", port: 8053)])
    #expect(config.builtinZones == ["example.com"])
    #expect(config.dns.rateLimit == 1000)
  }

  @Test(
    "Given no provider, then Route53; given an unknown one, then a problem with line:column and a suggestion")
  func providerChoice() throws {
    let config = try SwitchboardConfig.parse(yaml: Self.yaml(provider: "route53"))
    #expect(config.dnsProvider(for: "api.example.com") == .route53)
    let problems = ConfigValidator.validate(yaml: Self.yaml(provider: "biltin"))
    #expect(
      problems.map(\.description) == [
        "7:15: `services[0].provider` must be route53, rfc2136 or builtin, not \"biltin\"; did you mean builtin?"
      ])
  }

  @Test(
    "Given builtin with failover-health-check, or rfc2136 with weighted, then each is a problem at the provider"
  )
  func routingModesPerProvider() {
    let builtin = ConfigValidator.validate(
      yaml: Self.yaml(provider: "builtin", routing: "failover-health-check"))
    #expect(builtin.count == 1 && builtin[0].line == 7, "\(builtin)")
    #expect(builtin.first?.message.contains("needs Route53 health checks") == true)
    let rfc = ConfigValidator.validate(
      yaml: Self.yaml(
        provider: "rfc2136", routing: "weighted",
        extra: "dns:\n  rfc2136:\n    server: 127.0.0.1:5354\n    tsig: {name: sb-key, secret: c2VjcmV0}\n"))
    #expect(rfc.count == 1 && rfc[0].message.contains("supports routing record only"), "\(rfc)")
  }

  @Test(
    "Given rfc2136 with its secret in an environment variable, then it is read from there; without it, a problem that never shows a secret"
  )
  func tsigSecret() throws {
    let extra =
      "dns:\n  rfc2136:\n    server: 127.0.0.1\n    timeout: 3s\n    tsig:\n      name: sb-key\n      secret_env: MY_TSIG\n"
    let config = try SwitchboardConfig.parse(
      yaml: Self.yaml(provider: "rfc2136", extra: extra), environment: ["MY_TSIG": "c2VjcmV0LXZhbHVl"])
    let settings = try #require(config.dns.rfc2136)
    #expect(settings.server == ListenAddress(host: "127.0.0.1", port: 53))
    #expect(settings.secret == "c2VjcmV0LXZhbHVl")
    #expect(settings.timeout == 3)
    #expect(!"\(settings)".contains("c2VjcmV0"))
    let missing = ConfigValidator.validate(
      yaml: Self.yaml(provider: "rfc2136", extra: extra), environment: [:])
    #expect(
      missing.map(\.message) == [
        "`dns.rfc2136.tsig` has no secret: the environment variable `dns.rfc2136.tsig.secret_env` names is not set or empty."
      ])
    #expect(missing.first?.line == 21)
    let bad = ConfigValidator.validate(
      yaml: Self.yaml(
        provider: "rfc2136",
        extra: "dns:\n  rfc2136:\n    server: 127.0.0.1\n    tsig: {name: k, secret: \"not base64!!\"}\n"))
    #expect(bad.count == 1 && !bad[0].message.contains("not base64!!"), "\(bad)")
  }

  @Test("Given rfc2136 without a dns.rfc2136 section, then a problem says what to add")
  func rfc2136WithoutSection() {
    let problems = ConfigValidator.validate(yaml: Self.yaml(provider: "rfc2136"))
    #expect(
      problems.count == 1 && problems[0].message.contains("has no `dns.rfc2136` section"), "\(problems)")
  }

  @Test("Given dns.listen that is not IP:PORT, then a problem at its line")
  func badListen() {
    let problems = ConfigValidator.validate(
      yaml: Self.yaml(provider: "builtin", extra: "dns:\n  listen: [127.0.0.1:8053, nowhere]\n"))
    #expect(
      problems.count == 1 && problems[0].line == 17 && problems[0].message.contains("`dns.listen`"),
      "\(problems)")
  }

  @Test(
    "Given two services of one zone with different providers, then a problem at the second one's provider")
  func oneProviderPerZone() {
    let yaml = Self.yaml(provider: "builtin").replacingOccurrences(
      of: "services:\n",
      with: """
        services:
          - dns_name: www.example.com
            hosted_zone: example.com
            regions:
              - region: a
                target: 192.0.2.30
                signals: [{type: http, url: "http://127.0.0.1:9003/health"}]

        """)
    let problems = ConfigValidator.validate(yaml: yaml)
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.message.contains("the services of one zone share one provider") == true)
    #expect(problems.first?.line == 13)
  }
}
