import Configuration
import Crypto
import Foundation
import HTTPServer
import Synchronization

/// Checks `Authorization: Bearer` tokens against the configured SHA-256 hashes.
///
/// The presented token is hashed and compared with every configured hash in constant time (no early exit), so
/// neither the comparison nor the loop reveals how much of a token matched. The token set is replaced on reload.
public final class TokenAuthenticator: Sendable {
  /// What a request's credentials amount to.
  public enum Outcome: Sendable, Hashable {
    /// No `Authorization` header.
    case anonymous
    /// A valid token.
    case authenticated(Principal)
    /// A header that is malformed, names another scheme, or carries an unknown token.
    case rejected(String)
  }

  private struct Entry: Sendable {
    var principal: Principal
    var digest: [UInt8]
  }

  private let entries: Mutex<[Entry]>

  /// An authenticator admitting `tokens` (entries whose hash is not 64 hex digits are ignored: validation refuses them).
  public init(tokens: [AuthToken]) { entries = Mutex(Self.entries(tokens)) }

  /// Replaces the admitted tokens (configuration reload).
  public func replace(tokens: [AuthToken]) {
    let next = Self.entries(tokens)
    entries.withLock { $0 = next }
  }

  /// How many tokens are admitted.
  public var tokenCount: Int { entries.withLock { $0.count } }

  /// Authenticates a request by its `Authorization` header.
  public func authenticate(_ request: Request) -> Outcome {
    guard let header = request.headers["Authorization"] else { return .anonymous }
    guard let token = Self.bearerToken(header) else {
      return .rejected("The Authorization header must be `Bearer <token>`.")
    }
    guard !token.isEmpty else { return .rejected("The bearer token is empty.") }
    let digest = Array(SHA256.hash(data: token))
    let found: Principal? = entries.withLock { entries in
      var match: Principal?
      for entry in entries where Self.constantTimeEqual(entry.digest, digest) { match = entry.principal }
      return match
    }
    guard let found else { return .rejected("The bearer token is not valid.") }
    return .authenticated(found)
  }

  /// The token's bytes after `Bearer ` (scheme case-insensitive, spaces around the token trimmed); nil for
  /// another scheme. Works on bytes: this runs on every authenticated request.
  static func bearerToken(_ header: String) -> ArraySlice<UInt8>? {
    let bytes = Array(header.utf8)[...]
    let scheme = Array("bearer".utf8)
    guard bytes.count > scheme.count, bytes[bytes.startIndex + scheme.count] == UInt8(ascii: " ") else {
      return nil
    }
    for (offset, expected) in scheme.enumerated() where bytes[bytes.startIndex + offset] | 0x20 != expected {
      return nil
    }
    var token = bytes.dropFirst(scheme.count)
    while let first = token.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
      token.removeFirst()
    }
    while let last = token.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
      token.removeLast()
    }
    return token
  }

  /// Compares two equal-length digests without branching on their contents.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
  }

  private static func entries(_ tokens: [AuthToken]) -> [Entry] {
    tokens.compactMap { token in
      guard let digest = hexBytes(token.sha256), digest.count == 32 else { return nil }
      return Entry(principal: Principal(name: token.name, role: token.role), digest: digest)
    }
  }

  private static func hexBytes(_ hex: String) -> [UInt8]? {
    let utf8 = Array(hex.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count / 2)
    var index = 0
    while index < utf8.count {
      guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
      index += 2
    }
    return bytes
  }

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
