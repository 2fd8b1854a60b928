import COpenSSL
import Foundation
import Sockets

/// The client TLS settings of the etcd transport, loaded once into an OpenSSL context: TLS 1.2+, the server's
/// chain verified against `caFile` (or the system's CAs), and the client certificate presented when given.
final class EtcdTLSContext: @unchecked Sendable {
  // Configured once in init, then only read: OpenSSL contexts are thread-safe for making sessions.
  let context: OpaquePointer
  /// Whether a client certificate is presented (for the sentence when etcd asks for one and gets none).
  let presentsCertificate: Bool

  /// Loads the files; throws a sentence naming the file that cannot be used.
  init(caFile: String?, certFile: String?, keyFile: String?) throws(EtcdTLSSetupError) {
    guard let context = SSL_CTX_new(TLS_client_method()) else {
      throw EtcdTLSSetupError(key: nil, detail: "OpenSSL cannot make a client context: \(Self.reason())")
    }
    self.context = context
    _ = cossl_ctx_set_min_proto_version(context, cossl_tls1_2_version())
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
    if let caFile {
      try Self.requireReadable(caFile, key: "ca_file")
      ERR_clear_error()
      guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
        throw EtcdTLSSetupError(
          key: "ca_file", detail: "\(caFile) holds no usable PEM CA certificate (\(Self.reason()))")
      }
    } else {
      _ = SSL_CTX_set_default_verify_paths(context)
    }
    presentsCertificate = certFile != nil
    if let certFile {
      guard let keyFile else {
        throw EtcdTLSSetupError(key: "key_file", detail: "a client certificate needs its private key")
      }
      try Self.requireReadable(certFile, key: "cert_file")
      try Self.requireReadable(keyFile, key: "key_file")
      ERR_clear_error()
      guard SSL_CTX_use_certificate_chain_file(context, certFile) == 1 else {
        throw EtcdTLSSetupError(
          key: "cert_file", detail: "\(certFile) holds no usable PEM certificate (\(Self.reason()))")
      }
      guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
        let reason = Self.reason()
        throw EtcdTLSSetupError(
          key: "key_file",
          detail: reason.contains("key values mismatch")
            ? "\(keyFile) is not the private key of \(certFile) (\(reason))"
            : "\(keyFile) holds no usable PEM private key (\(reason))")
      }
      guard SSL_CTX_check_private_key(context) == 1 else {
        throw EtcdTLSSetupError(
          key: "key_file", detail: "\(keyFile) is not the private key of \(certFile) (\(Self.reason()))")
      }
    }
  }

  deinit { SSL_CTX_free(context) }

  /// A client session on `fd` that checks the certificate names `host` (a DNS name or an IP address) and sends
  /// it as SNI when it is a name.
  func session(fd: Int32, host: String) -> OpaquePointer? {
    guard let ssl = SSL_new(context) else { return nil }
    SSL_set_fd(ssl, fd)
    SSL_set_connect_state(ssl)
    let parameters = SSL_get0_param(ssl)
    if ResolvedAddress(literal: host, port: 0) != nil {
      _ = X509_VERIFY_PARAM_set1_ip_asc(parameters, host)
    } else {
      _ = X509_VERIFY_PARAM_set1_host(parameters, host, 0)
      _ = cossl_set_tlsext_host_name(ssl, host)
    }
    return ssl
  }

  private static func requireReadable(_ path: String, key: String) throws(EtcdTLSSetupError) {
    guard FileManager.default.isReadableFile(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw EtcdTLSSetupError(
        key: key, detail: exists ? "\(path) cannot be read (permissions)" : "\(path) does not exist")
    }
  }

  static func reason() -> String { OpenSSLErrorQueue.takeReason() ?? "no reason given" }
}

/// Why the etcd transport's TLS settings cannot be used: which `storage.tls` key, and what is wrong with it.
public struct EtcdTLSSetupError: Error, Sendable, CustomStringConvertible {
  /// The `storage.tls` key at fault (`ca_file`, `cert_file`, `key_file`), nil when it is none of them.
  public var key: String?
  /// What is wrong, e.g. "/etc/etcd/ca.pem does not exist".
  public var detail: String

  /// The sentence, naming the key: "`storage.tls.ca_file`: /etc/etcd/ca.pem does not exist."
  public var description: String {
    key.map { "`storage.tls.\($0)`: \(detail)." } ?? "\(detail)."
  }
}
