import Configuration
import Foundation
import Switchboard
import Testing

/// Problems end up in audit events and logs: they name the key and line of a secret-bearing value, never the value.
@Suite("Configuration: secrets never quoted in problems")
struct ConfigSecretTests {
  /// A valid file's regions and services, after `head`.
  static func yaml(_ head: String) -> String {
    head + """
      regions:
        - id: us-east-1
        - id: us-west-2
      services:
        - id: api.example.com
          dns_name: api.example.com
          hosted_zone: example.com
          regions:
            - region: us-east-1
              target: 192.0.2.10
              signals: [{type: http, url: "http://127.0.0.1:9001/health"}]
            - region: us-west-2
              target: 192.0.2.20
              signals: [{type: http, url: "http://127.0.0.1:9002/health"}]

      """
  }

  @Test(
    "Given a webhook URL with a space carrying a secret, when validated, then the problem names the key and line but not the value"
  )
  func malformedWebhookURL() throws {
    let problems = ConfigValidator.validate(
      yaml: Self.yaml(
        "notifications:\n  webhook:\n    url: https://hooks.example.com/T0/s3cr3t-TOKEN value with space\n"))

    let problem = try #require(problems.first)
    #expect(problems.count == 1, "\(problems)")
    #expect(problem.line == 3)
    #expect(problem.message.contains("`notifications.webhook.url`"))
    #expect(!problem.description.contains("s3cr3t"))
  }

  @Test(
    "Given secret-bearing values of the wrong kind (under auth, a token key, a URL with a password), when validated, then no problem quotes them"
  )
  func wrongKindsNotQuoted() {
    let problems = ConfigValidator.validate(
      yaml: Self.yaml(
        """
        auth:
          tokens:
            - name: ci
              role: admin
              sha256: hunter2-plain-token
        policy:
          minimum_dwell: "https://bob:pa55word-xyz@example.com/"
          sync_timeout: "abcdefsecret"

        """))

    let text = problems.map(\.description).joined(separator: "\n")
    #expect(problems.count == 3, "\(text)")
    #expect(text.contains("auth.tokens[0].sha256"), "\(text)")
    #expect(!text.contains("hunter2"), "\(text)")
    #expect(!text.contains("pa55word"), "\(text)")
    #expect(text.contains("abcdefsecret"), "a value under an ordinary key is still quoted: \(text)")
  }

  @Test("Given an `auth` that is text, when validated, then the problem does not quote it")
  func authAsText() {
    let problems = ConfigValidator.validate(yaml: Self.yaml("auth: my-admin-token-123\n"))

    #expect(problems.count == 1, "\(problems)")
    #expect(problems.allSatisfy { !$0.message.contains("my-admin-token") }, "\(problems)")
  }
}
