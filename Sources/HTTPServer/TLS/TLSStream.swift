import COpenSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One connection's TLS session over a non-blocking socket. Reads and writes follow the socket calls'
/// conventions (bytes, 0 at end of stream, -1 with `errno` EAGAIN when the socket is not ready), so the
/// connection code that drives plain sockets drives it unchanged. Used only on the connection's queue.
final class TLSStream: @unchecked Sendable {
  /// What a handshake step came to.
  enum HandshakeStep {
    case done
    case wantRead
    case wantWrite
    /// The client spoke plain HTTP to the TLS port.
    case plainHTTP
    case failed(String)
  }

  let ssl: OpaquePointer

  init(ssl: OpaquePointer) { self.ssl = ssl }

  deinit { SSL_free(ssl) }

  /// Advances the handshake as far as the socket allows.
  func handshake() -> HandshakeStep {
    ERR_clear_error()
    let result = SSL_do_handshake(ssl)
    if result == 1 { return .done }
    let error = SSL_get_error(ssl, result)
    switch error {
    case SSL_ERROR_WANT_READ: return .wantRead
    case SSL_ERROR_WANT_WRITE: return .wantWrite
    default:
      let code = ERR_peek_error()
      if code != 0, cossl_error_reason(code) == cossl_reason_http_request() {
        ERR_clear_error()
        return .plainHTTP
      }
      return .failed(TLSContext.lastErrorText())
    }
  }

  /// Whether ALPN chose HTTP/2.
  var negotiatedHTTP2: Bool { cossl_selected_h2(ssl) != 0 }

  /// The negotiated protocol version, e.g. `TLSv1.3`.
  var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

  /// Decrypted bytes already buffered inside OpenSSL (no socket event will announce them).
  var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }

  /// Like `read(2)`.
  func read(_ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    ERR_clear_error()
    let n = SSL_read(ssl, buffer, Int32(clamping: count))
    if n > 0 { return Int(n) }
    return failure(n)
  }

  /// Like `send(2)`.
  func write(_ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    ERR_clear_error()
    let n = SSL_write(ssl, buffer, Int32(clamping: count))
    if n > 0 { return Int(n) }
    return failure(n)
  }

  /// Sends close_notify, best effort (the socket is half-closed right after).
  func closeNotify() {
    ERR_clear_error()
    _ = SSL_shutdown(ssl)
    ERR_clear_error()
  }

  private func failure(_ result: Int32) -> Int {
    switch SSL_get_error(ssl, result) {
    case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
      errno = EAGAIN
      return -1
    case SSL_ERROR_ZERO_RETURN:
      return 0
    case SSL_ERROR_SYSCALL where errno == 0:
      return 0
    default:
      ERR_clear_error()
      errno = ECONNRESET
      return -1
    }
  }
}
