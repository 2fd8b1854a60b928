/// An HTTP request method (RFC 9110 §9); common methods are shared constants.
public struct Method: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }

  public static let GET = Method("GET")
  public static let HEAD = Method("HEAD")
  public static let POST = Method("POST")
  public static let PUT = Method("PUT")
  public static let PATCH = Method("PATCH")
  public static let DELETE = Method("DELETE")
  public static let OPTIONS = Method("OPTIONS")
  public static let CONNECT = Method("CONNECT")
  public static let TRACE = Method("TRACE")

  public var description: String { rawValue }

  /// The method for a token on the wire, reusing the shared constants for common methods (no allocation).
  static func fromToken(_ bytes: UnsafeRawBufferPointer) -> Method {
    switch bytes.count {
    case 3:
      if bytes[0] == 0x47, bytes[1] == 0x45, bytes[2] == 0x54 { return .GET }
      if bytes[0] == 0x50, bytes[1] == 0x55, bytes[2] == 0x54 { return .PUT }
    case 4:
      if bytes.elementsEqual("HEAD".utf8) { return .HEAD }
      if bytes.elementsEqual("POST".utf8) { return .POST }
    case 5:
      if bytes.elementsEqual("PATCH".utf8) { return .PATCH }
      if bytes.elementsEqual("TRACE".utf8) { return .TRACE }
    case 6:
      if bytes.elementsEqual("DELETE".utf8) { return .DELETE }
    case 7:
      if bytes.elementsEqual("OPTIONS".utf8) { return .OPTIONS }
      if bytes.elementsEqual("CONNECT".utf8) { return .CONNECT }
    default: break
    }
    return Method(String(decoding: bytes, as: UTF8.self))
  }
}
