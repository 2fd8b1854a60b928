import COpenSSL

/// OpenSSL's per-thread error queue, read as words.
package enum OpenSSLErrorQueue {
  /// The reason for the earliest queued failure (never key material), nil when none is queued; clears the queue.
  package static func takeReason() -> String? {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return nil }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
