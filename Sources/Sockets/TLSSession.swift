import COpenSSL
import Glibc

/// One TLS session (client or server side) over a non-blocking socket. Reads and writes follow the socket
/// calls' conventions (bytes, 0 at end of stream, -1 with `errno` EAGAIN when the socket is not ready), so code
/// that drives plain sockets drives it unchanged. Used from one queue at a time.
package final class TLSSession: @unchecked Sendable {
  /// The OpenSSL session, owned (freed with this object).
  package let ssl: OpaquePointer

  /// Takes ownership of a session already bound to its socket and set to accept or connect.
  package init(ssl: OpaquePointer) { self.ssl = ssl }

  deinit { SSL_free(ssl) }

  /// Advances the handshake as far as the socket allows.
  package func handshake() -> TLSHandshakeStep {
    ERR_clear_error()
    let result = SSL_do_handshake(ssl)
    if result == 1 { return .done }
    switch SSL_get_error(ssl, result) {
    case SSL_ERROR_WANT_READ: return .wantRead
    case SSL_ERROR_WANT_WRITE: return .wantWrite
    default:
      let code = ERR_peek_error()
      if code != 0, cossl_error_reason(code) == cossl_reason_http_request() {
        ERR_clear_error()
        return .plainHTTP
      }
      return .failed(OpenSSLErrorQueue.takeReason())
    }
  }

  /// Whether ALPN chose HTTP/2.
  package var negotiatedHTTP2: Bool { cossl_selected_h2(ssl) != 0 }

  /// The negotiated protocol version, e.g. `TLSv1.3`.
  package var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

  /// Decrypted bytes already buffered inside OpenSSL (no socket event will announce them).
  package var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }

  /// Like `read(2)`.
  package func read(_ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    ERR_clear_error()
    let n = SSL_read(ssl, buffer, Int32(clamping: count))
    return n > 0 ? Int(n) : socketResult(n)
  }

  /// Like `send(2)`.
  package func write(_ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    ERR_clear_error()
    let n = SSL_write(ssl, buffer, Int32(clamping: count))
    return n > 0 ? Int(n) : socketResult(n)
  }

  /// Sends close_notify, best effort (the socket is half-closed right after).
  package func closeNotify() {
    ERR_clear_error()
    _ = SSL_shutdown(ssl)
    ERR_clear_error()
  }

  /// The one mapping of OpenSSL's outcome to the socket calls' conventions.
  private func socketResult(_ result: Int32) -> Int {
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
