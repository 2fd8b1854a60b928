import Crypto
import Foundation

/// SHA-256 and HMAC-SHA256 helpers in the shapes SigV4 uses them.
enum Hashing {
  /// Lower-case hex SHA-256 of some bytes.
  static func sha256Hex(_ data: Data) -> String {
    hex(SHA256.hash(data: data))
  }

  /// Lower-case hex SHA-256 of a UTF-8 string.
  static func sha256Hex(_ string: String) -> String {
    sha256Hex(Data(string.utf8))
  }

  /// HMAC-SHA256 of a UTF-8 message under a raw key.
  static func hmac(key: Data, _ message: String) -> Data {
    Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)))
  }

  /// Lower-case hex of any byte sequence.
  static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
  }
}
