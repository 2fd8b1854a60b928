/// A host and port the built-in DNS server listens on (UDP and TCP).
public struct DNSListenAddress: Sendable, Hashable, CustomStringConvertible {
  public var host: String
  public var port: Int
  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }
  /// `host:port`, or `[host]:port` for IPv6.
  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
