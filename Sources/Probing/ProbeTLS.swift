import COpenSSL
import Sockets

/// The client side of HTTPS probes: TLS 1.2+, SNI, and, like Route53's HTTPS health checks, no certificate
/// validation (a probe asks "does it answer", not "is it trusted"). The session itself is the shared
/// `TLSSession`, which maps OpenSSL's outcomes to the socket calls' conventions.
enum ProbeTLS {
  /// One client context for every probe (contexts are thread-safe once configured).
  nonisolated(unsafe) static let context: OpaquePointer? = {
    guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
    _ = cossl_ctx_set_min_proto_version(context, cossl_tls1_2_version())
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
    _ = cossl_ctx_disable_session_cache(context)
    return context
  }()

  /// A client session on `fd` presenting `host` as SNI (omitted for IP literals, as RFC 6066 asks); nil when
  /// OpenSSL cannot make one.
  static func session(fd: Int32, host: String) -> TLSSession? {
    guard let context, let ssl = SSL_new(context) else { return nil }
    let session = TLSSession(ssl: ssl)
    SSL_set_fd(ssl, fd)
    SSL_set_connect_state(ssl)
    let isIPLiteral = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    if !isIPLiteral { _ = cossl_set_tlsext_host_name(ssl, host) }
    return session
  }

  /// The most recent OpenSSL error in words, or "connection closed".
  static func lastError() -> String {
    OpenSSLErrorQueue.takeReason() ?? "the connection closed during the handshake"
  }
}
