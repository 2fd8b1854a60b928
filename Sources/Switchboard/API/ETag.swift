import Crypto
import Foundation

/// Entity tags for documents the API renders once and serves many times.
public enum ETag {
  /// The first 16 bytes of the SHA-256 of `bytes`, in hex (without quotes).
  public static func of(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).prefix(16).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  /// Whether an `If-None-Match` header value matches `etag` (a quoted strong tag): `*`, or any listed tag,
  /// weak or strong (RFC 9110 §13.1.2 uses weak comparison for If-None-Match).
  public static func matches(_ ifNoneMatch: String?, _ etag: String) -> Bool {
    guard let ifNoneMatch else { return false }
    let bare = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
    for candidate in ifNoneMatch.split(separator: ",") {
      let tag = candidate.trimmingCharacters(in: .whitespaces)
      if tag == "*" { return true }
      let candidateBare = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
      if candidateBare == bare { return true }
    }
    return false
  }
}
