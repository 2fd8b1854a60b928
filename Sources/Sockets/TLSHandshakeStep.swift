/// What one step of a TLS handshake came to.
package enum TLSHandshakeStep: Sendable, Equatable {
  case done
  /// Call again when the socket is readable.
  case wantRead
  /// Call again when the socket is writable.
  case wantWrite
  /// The peer spoke plain HTTP to a TLS port (server side).
  case plainHTTP
  /// The handshake failed; OpenSSL's reason, nil when it gave none (typically the peer closed).
  case failed(String?)
}
