/// The parsed request line and header section of one HTTP/1.x request.
struct RequestHead: Sendable {
  /// How the body is delimited (RFC 9112 §6).
  enum BodyFraming: Equatable, Sendable {
    case none
    case length(Int)
    case chunked
  }

  var method: Method
  var target: String
  var version: HTTPVersion
  var headers: HTTPHeaders
  var framing: BodyFraming
  /// The client sent `Expect: 100-continue`.
  var expectsContinue: Bool
  /// The connection stays open after the response (keep-alive).
  var keepAlive: Bool
}
