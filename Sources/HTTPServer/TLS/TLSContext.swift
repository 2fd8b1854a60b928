import COpenSSL
import Sockets

/// An OpenSSL server context: certificate chain and key, TLS 1.2–1.3 only, server cipher preference, ALPN
/// offering `h2` and `http/1.1`. Immutable once built; a reload builds a new one (open connections keep theirs).
final class TLSContext: @unchecked Sendable {
  let context: OpaquePointer

  init(certificatePath: String, keyPath: String, offerHTTP2: Bool = true) throws(TLSError) {
    guard let context = SSL_CTX_new(TLS_server_method()) else {
      throw TLSError("Cannot create a TLS context: \(TLSContext.lastErrorText()).")
    }
    self.context = context
    _ = cossl_ctx_set_min_proto_version(context, cossl_tls1_2_version())
    _ = cossl_ctx_set_max_proto_version(context, cossl_tls1_3_version())
    _ = SSL_CTX_set_options(context, cossl_server_options())
    _ = cossl_ctx_set_mode(context, cossl_server_modes())
    _ = cossl_ctx_disable_session_cache(context)
    _ = SSL_CTX_set_num_tickets(context, 0)
    _ = SSL_CTX_set_cipher_list(context, "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20")
    cossl_ctx_set_alpn(context, offerHTTP2 ? 1 : 0)
    ERR_clear_error()
    guard SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1 else {
      throw TLSError(
        "Cannot load the TLS certificate chain from '\(certificatePath)' (\(TLSContext.lastErrorText())); "
          + "check that the file exists, is readable and holds PEM certificates.")
    }
    guard SSL_CTX_use_PrivateKey_file(context, keyPath, SSL_FILETYPE_PEM) == 1 else {
      throw TLSError(
        "Cannot load the TLS private key from '\(keyPath)' (\(TLSContext.lastErrorText())); "
          + "check that the file exists, is readable and holds an unencrypted PEM key.")
    }
    guard SSL_CTX_check_private_key(context) == 1 else {
      throw TLSError(
        "The private key in '\(keyPath)' does not match the certificate in '\(certificatePath)'.")
    }
  }

  deinit { SSL_CTX_free(context) }

  /// A new per-connection TLS session on a socket.
  func makeStream(fd: Int32) -> TLSSession? {
    guard let ssl = SSL_new(context) else { return nil }
    guard SSL_set_fd(ssl, fd) == 1 else {
      SSL_free(ssl)
      return nil
    }
    SSL_set_accept_state(ssl)
    return TLSSession(ssl: ssl)
  }

  /// OpenSSL's reason for the last failure on this thread (never key material), and clears the queue.
  static func lastErrorText() -> String { OpenSSLErrorQueue.takeReason() ?? "no details from OpenSSL" }
}
