import Foundation

/// A freshly made API token: the secret (shown once) and the `auth.tokens` entry that admits it.
public struct NewToken: Sendable {
  /// The secret to hand to the client: 32 random bytes, base64url without padding.
  public var token: String
  /// The configuration entry: name, role and the token's SHA-256 (never the token).
  public var entry: AuthToken

  /// The `auth.tokens` line to paste, as a YAML flow mapping in a list item.
  public var yamlLine: String {
    "- { name: \(TokenFactory.yamlScalar(entry.name)), role: \(entry.role.rawValue), sha256: \(entry.sha256) }"
  }
}

/// Makes API tokens for `switchboard token create`.
public enum TokenFactory {
  /// Bytes of randomness in a token.
  public static let byteCount = 32

  /// A new random token for `name` with `role` (the system's cryptographically secure generator).
  public static func make(name: String, role: TokenRole) -> NewToken {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    let token = base64URL(bytes)
    return NewToken(
      token: token, entry: AuthToken(name: name, role: role, sha256: EnvironmentOverrides.sha256Hex(token)))
  }

  /// base64url (RFC 4648 §5) without padding.
  public static func base64URL(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// A name as a YAML scalar: plain when that is unambiguous, double-quoted otherwise.
  static func yamlScalar(_ text: String) -> String {
    let plain = CharacterSet(
      charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "~"]
    if !text.isEmpty, text.unicodeScalars.allSatisfy(plain.contains), !reserved.contains(text.lowercased()),
      Double(text) == nil, !text.hasPrefix("-"), !text.hasPrefix(".")
    {
      return text
    }
    var quoted = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case "\t": quoted += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          quoted += String(format: "\\x%02X", scalar.value)
        } else {
          quoted.unicodeScalars.append(scalar)
        }
      }
    }
    return quoted + "\""
  }
}
