/// An HTTP response status code with its reason phrase.
public struct Status: Hashable, Sendable, CustomStringConvertible {
  public let code: Int
  public let reasonPhrase: String
  public init(code: Int, reasonPhrase: String? = nil) {
    self.code = code
    self.reasonPhrase = reasonPhrase ?? Status.standardPhrase(code)
  }

  public static let `continue` = Status(code: 100)
  public static let ok = Status(code: 200)
  public static let created = Status(code: 201)
  public static let accepted = Status(code: 202)
  public static let noContent = Status(code: 204)
  public static let movedPermanently = Status(code: 301)
  public static let found = Status(code: 302)
  public static let notModified = Status(code: 304)
  public static let badRequest = Status(code: 400)
  public static let unauthorized = Status(code: 401)
  public static let forbidden = Status(code: 403)
  public static let notFound = Status(code: 404)
  public static let methodNotAllowed = Status(code: 405)
  public static let notAcceptable = Status(code: 406)
  public static let requestTimeout = Status(code: 408)
  public static let conflict = Status(code: 409)
  public static let gone = Status(code: 410)
  public static let preconditionFailed = Status(code: 412)
  public static let contentTooLarge = Status(code: 413)
  public static let unsupportedMediaType = Status(code: 415)
  public static let expectationFailed = Status(code: 417)
  public static let unprocessableContent = Status(code: 422)
  public static let preconditionRequired = Status(code: 428)
  public static let tooManyRequests = Status(code: 429)
  public static let requestHeaderFieldsTooLarge = Status(code: 431)
  public static let internalServerError = Status(code: 500)
  public static let notImplemented = Status(code: 501)
  public static let badGateway = Status(code: 502)
  public static let serviceUnavailable = Status(code: 503)
  public static let gatewayTimeout = Status(code: 504)
  public static let httpVersionNotSupported = Status(code: 505)

  public var description: String { "\(code) \(reasonPhrase)" }

  /// Whether a response with this status may carry a body (RFC 9110 §6.4.1).
  public var allowsBody: Bool { !(code < 200 || code == 204 || code == 304) }

  static func standardPhrase(_ code: Int) -> String {
    switch code {
    case 100: "Continue"
    case 101: "Switching Protocols"
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 206: "Partial Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 303: "See Other"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 308: "Permanent Redirect"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 406: "Not Acceptable"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 410: "Gone"
    case 411: "Length Required"
    case 412: "Precondition Failed"
    case 413: "Content Too Large"
    case 414: "URI Too Long"
    case 415: "Unsupported Media Type"
    case 417: "Expectation Failed"
    case 422: "Unprocessable Content"
    case 428: "Precondition Required"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    case 505: "HTTP Version Not Supported"
    default: "Status \(code)"
    }
  }
}
