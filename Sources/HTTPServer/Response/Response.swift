/// A response as a handler builds it, whatever protocol carries it.
public struct Response: Sendable {
  /// The body: none, fixed bytes, or a stream written over time (Server-Sent Events).
  public enum Body: Sendable {
    case empty
    case bytes([UInt8])
    /// A producer that writes the body piece by piece; the response ends when it returns.
    case stream(@Sendable (any ResponseBodyWriter) async throws -> Void)
  }

  public var status: Status
  public var headers: HTTPHeaders
  public var body: Body

  public init(status: Status = .ok, headers: HTTPHeaders = HTTPHeaders(), body: Body = .empty) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// A response with fixed bytes and a content type.
  public init(status: Status = .ok, contentType: String, bytes: [UInt8], headers: HTTPHeaders = HTTPHeaders())
  {
    self.status = status
    self.headers = headers
    self.headers.add(name: "Content-Type", value: contentType)
    self.body = .bytes(bytes)
  }

  /// A plain-text response.
  public static func text(_ text: String, status: Status = .ok) -> Response {
    Response(status: status, contentType: "text/plain; charset=utf-8", bytes: Array(text.utf8))
  }

  /// A JSON response from already encoded bytes.
  public static func json(_ bytes: [UInt8], status: Status = .ok) -> Response {
    Response(status: status, contentType: "application/json", bytes: bytes)
  }

  /// The length of a fixed body, or nil for a stream.
  var fixedLength: Int? {
    switch body {
    case .empty: 0
    case .bytes(let bytes): bytes.count
    case .stream: nil
    }
  }
}
