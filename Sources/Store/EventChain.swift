import Crypto
import Foundation

/// The hash chain of the audit log: each event's hash covers the previous hash and its canonical JSON.
public enum EventChain {
  /// The `prev_hash` of the first event: 64 zeros.
  public static let genesis = String(repeating: "0", count: 64)

  /// `hex(SHA-256(previousHash + "\n" + canonicalJSON))`.
  public static func hash(previous: String, canonicalJSON: String) -> String {
    var input = Data(previous.utf8)
    input.append(0x0A)
    input.append(contentsOf: Data(canonicalJSON.utf8))
    return SHA256.hash(data: input).map { String(format: "%02x", $0) }.joined()
  }
}
