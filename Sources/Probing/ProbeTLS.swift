import COpenSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The client side of one HTTPS probe over a non-blocking socket: TLS 1.2+, SNI, and, like Route53's HTTPS
/// health checks, no certificate validation (a probe asks "does it answer", not "is it trusted").
/// Reads and writes follow the socket calls' conventions (-1 with `errno` EAGAIN when not ready).
final class ProbeTLSSession {
  /// What a handshake step came to.
  enum Step {
    case done
    case wantRead
    case wantWrite
    case failed(String)
  }

  /// One client context for every probe (contexts are thread-safe once configured).
  nonisolated(unsafe) static let context: OpaquePointer? = {
    guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
    _ = cossl_ctx_set_min_proto_version(context, cossl_tls1_2_version())
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
    _ = cossl_ctx_disable_session_cache(context)
    return context
  }()

  private let ssl: OpaquePointer

  /// A session on `fd` presenting `host` as SNI (omitted for IP literals, as RFC 6066 asks); nil when OpenSSL
  /// cannot make one.
  init?(fd: Int32, host: String) {
    guard let context = Self.context, let ssl = SSL_new(context) else { return nil }
    self.ssl = ssl
    SSL_set_fd(ssl, fd)
    SSL_set_connect_state(ssl)
    let isIPLiteral = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    if !isIPLiteral { _ = cossl_set_tlsext_host_name(ssl, host) }
  }

  deinit { SSL_free(ssl) }

  /// Advances the handshake as far as the socket allows.
  func handshake() -> Step {
    ERR_clear_error()
    let result = SSL_do_handshake(ssl)
    if result == 1 { return .done }
    switch SSL_get_error(ssl, result) {
    case SSL_ERROR_WANT_READ: return .wantRead
    case SSL_ERROR_WANT_WRITE: return .wantWrite
    default: return .failed("the TLS handshake failed: \(Self.lastError())")
    }
  }

  /// Like `recv(2)`.
  func read(_ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    ERR_clear_error()
    let n = SSL_read(ssl, buffer, Int32(clamping: count))
    return n > 0 ? Int(n) : failure(n)
  }

  /// Like `send(2)`.
  func write(_ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    ERR_clear_error()
    let n = SSL_write(ssl, buffer, Int32(clamping: count))
    return n > 0 ? Int(n) : failure(n)
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

  /// The most recent OpenSSL error in words, or "connection closed".
  static func lastError() -> String {
    let code = ERR_get_error()
    guard code != 0 else { return "the connection closed during the handshake" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    ERR_clear_error()
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
