/// Why a request could not be parsed; each maps to the status the server answers before closing.
public enum HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Malformed syntax or a framing shape that could smuggle a request (400).
  case badRequest(String)
  /// The header section exceeds the configured limit (431).
  case headerSectionTooLarge(limit: Int)
  /// The body exceeds the configured limit (413).
  case bodyTooLarge(limit: Int)
  /// An HTTP version other than 1.0 or 1.1 (505).
  case versionNotSupported(String)
  /// A transfer coding the server does not implement (501).
  case notImplemented(String)
  /// An `Expect` value other than `100-continue` (417).
  case expectationFailed(String)

  /// The response status for this error.
  public var status: Status {
    switch self {
    case .badRequest: .badRequest
    case .headerSectionTooLarge: .requestHeaderFieldsTooLarge
    case .bodyTooLarge: .contentTooLarge
    case .versionNotSupported: .httpVersionNotSupported
    case .notImplemented: .notImplemented
    case .expectationFailed: .expectationFailed
    }
  }

  public var description: String {
    switch self {
    case .badRequest(let why): why
    case .headerSectionTooLarge(let limit): "The request's header section exceeds \(limit) bytes."
    case .bodyTooLarge(let limit): "The request body exceeds \(limit) bytes."
    case .versionNotSupported(let version): "HTTP version \(version) is not supported; use HTTP/1.1."
    case .notImplemented(let coding): "Transfer coding '\(coding)' is not supported; use chunked."
    case .expectationFailed(let value):
      "Expectation '\(value)' cannot be met; only 100-continue is supported."
    }
  }
}
