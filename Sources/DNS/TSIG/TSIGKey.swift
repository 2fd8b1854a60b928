import Crypto
import Foundation

/// A TSIG key (RFC 8945): its name, algorithm and secret. The secret never appears in descriptions.
public struct TSIGKey: Sendable, CustomStringConvertible {
  /// The key's name, as the server knows it (e.g. `sb-key`).
  public var name: DNSName
  /// The algorithm name; only `hmac-sha256` is supported.
  public var algorithm: DNSName
  private let secret: [UInt8]

  /// The one algorithm Switchboard signs with.
  public static let hmacSHA256 = DNSName("hmac-sha256")!

  /// A key from its name and base64 secret (as `tsig-keygen` prints it); nil when either is malformed.
  public init?(name: String, secretBase64: String) {
    guard let name = DNSName(name), !name.labels.isEmpty,
      let bytes = Data(base64Encoded: secretBase64.trimmingCharacters(in: .whitespaces)), !bytes.isEmpty
    else { return nil }
    self.name = name
    algorithm = Self.hmacSHA256
    secret = Array(bytes)
  }

  /// Only the key's name (never its secret).
  public var description: String { "TSIG key \(name) (hmac-sha256)" }

  func mac(_ data: [UInt8]) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: secret)))
  }
}
