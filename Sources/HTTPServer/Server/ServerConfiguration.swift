import Glibc

/// Everything the server needs to know besides its routes.
public struct ServerConfiguration: Sendable {
  /// Addresses to listen on (plain HTTP).
  public var listen: [ListenAddress]
  /// HTTPS listeners and their certificate, or nil for plain HTTP only.
  public var tls: TLSConfiguration?
  /// Request size limits (header section 16 KiB → 431, body 1 MiB → 413).
  public var limits = ParserLimits()
  /// Open connections beyond which new ones get a 503 and are closed.
  public var maxConnections = 10_000
  /// Time allowed for a whole request head once its first byte arrived, and for the first request (slowloris).
  public var headerReadTimeout: Duration = .seconds(10)
  /// Time a keep-alive connection may sit idle between requests.
  public var idleTimeout: Duration = .seconds(60)
  /// Time the body may make no progress.
  public var bodyReadTimeout: Duration = .seconds(30)
  /// Time a blocked write may make no progress before the connection is dropped.
  public var writeTimeout: Duration = .seconds(30)
  /// Serial queues connections are spread over; one per core by default.
  public var workerCount: Int
  /// Bytes of unsent streamed output beyond which a body writer waits (backpressure).
  public var streamHighWaterMark = 64 * 1024

  public init(listen: [ListenAddress]) {
    self.listen = listen
    self.workerCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }
}

/// Why the server could not start: an address that cannot be bound, or a certificate that cannot be loaded.
public enum StartError: Error, Sendable, CustomStringConvertible {
  case address(AddressError)
  case tls(TLSError)

  public var description: String {
    switch self {
    case .address(let error): error.description
    case .tls(let error): error.description
    }
  }
}
