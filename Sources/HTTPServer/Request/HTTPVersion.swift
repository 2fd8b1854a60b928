/// The protocol version a request arrived with.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
  public var major: Int
  public var minor: Int
  public init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }
  public static let http1_0 = HTTPVersion(major: 1, minor: 0)
  public static let http1_1 = HTTPVersion(major: 1, minor: 1)
  public static let http2 = HTTPVersion(major: 2, minor: 0)
  public var description: String {
    switch (major, minor) {
    case (1, 1): "HTTP/1.1"
    case (1, 0): "HTTP/1.0"
    case (2, 0): "HTTP/2"
    default: "HTTP/\(major).\(minor)"
    }
  }
}
