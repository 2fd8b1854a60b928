import Foundation
import Yams

/// The configuration keys whose values may be secrets (webhook URLs, tokens, TSIG secrets, passwords, anything
/// under `auth`), so that problem sentences, which end up in audit events and logs, name the key and the line
/// but never quote the value.
enum SecretKeys {
  /// What a problem sentence says instead of a secret-bearing value.
  static let placeholder = "[value not shown: it may hold a secret]"

  /// Key names (or parts of them) that carry secrets wherever they appear.
  private static let secretWords = [
    "token", "secret", "password", "passwd", "tsig", "api_key", "apikey", "private_key", "credential",
  ]

  /// Keys under `auth` that are labels, not secrets (a token's name is the actor of every audit event).
  private static let authLabels: Set<String> = ["name", "role"]

  /// Whether the value at `path` (as problems name it: `notifications.webhook.url`, `auth.tokens[0].sha256`)
  /// may hold a secret.
  static func isSecret(_ path: String) -> Bool {
    let keys = path.split(separator: ".").map { key in
      String(key.prefix { $0 != "[" }).lowercased()
    }
    guard let last = keys.last else { return false }
    if keys.first == "auth" { return !authLabels.contains(last) || keys.count == 1 }
    if keys.first == "notifications" && last.contains("url") { return true }
    return keys.contains { key in secretWords.contains { key.contains($0) } }
  }

  /// Whether a value is a URL that carries a password (`scheme://user:password@host`), whatever its key.
  static func carriesPassword(_ value: String) -> Bool {
    guard let scheme = value.range(of: "://") else { return false }
    let rest = value[scheme.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    guard let at = authority.lastIndex(of: "@") else { return false }
    return authority[..<at].contains(":")
  }

  /// Every scalar value in the tree whose path is secret-bearing (at any depth under such a key) or that
  /// carries a password.
  static func values(in root: Node) -> Set<String> {
    var found: Set<String> = []
    collect(root, path: "", into: &found)
    return found
  }

  private static func collect(_ node: Node, path: String, into found: inout Set<String>) {
    switch node {
    case .scalar(let scalar):
      if isSecret(path) || carriesPassword(scalar.string) { found.insert(scalar.string) }
    case .mapping(let mapping):
      for (key, value) in mapping {
        // A key that is not text is reported without its value; its value is searched like the rest.
        let name = key.string ?? "?"
        let childPath = path.isEmpty ? name : "\(path).\(name)"
        collect(value, path: childPath, into: &found)
      }
    case .sequence(let sequence):
      for (index, item) in sequence.enumerated() {
        let childPath = "\(path)[\(index)]"
        collect(item, path: childPath, into: &found)
      }
    case .alias:
      break
    }
  }

  /// The problems with every secret value replaced by `placeholder`. Values shorter than 4 characters are left
  /// to the sentences themselves (which do not quote secret-bearing values): replacing them everywhere would
  /// garble unrelated words.
  static func redact(_ problems: [ConfigProblem], secrets: Set<String>) -> [ConfigProblem] {
    let secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    guard !secrets.isEmpty else { return problems }
    return problems.map { problem in
      var problem = problem
      for secret in secrets where problem.message.contains(secret) {
        problem.message = problem.message.replacingOccurrences(of: secret, with: placeholder)
      }
      return problem
    }
  }
}
