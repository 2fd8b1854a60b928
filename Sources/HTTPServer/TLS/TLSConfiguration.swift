/// Where HTTPS listens and which certificate it presents.
public struct TLSConfiguration: Sendable {
  /// Addresses to listen on for TLS (HTTP/1.1 and HTTP/2 by ALPN).
  public var listen: [ListenAddress]
  /// PEM file with the certificate chain, leaf first.
  public var certificatePath: String
  /// PEM file with the private key.
  public var keyPath: String
  /// Time a client has to complete the TLS handshake.
  public var handshakeTimeout: Duration = .seconds(10)

  public init(listen: [ListenAddress], certificatePath: String, keyPath: String) {
    self.listen = listen
    self.certificatePath = certificatePath
    self.keyPath = keyPath
  }
}

/// A certificate or key that cannot be loaded, or a TLS context that cannot be built.
public struct TLSError: Error, Sendable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
