/// One HTTP request as a handler sees it, whatever protocol carried it (HTTP/1.x or HTTP/2).
public struct Request: Sendable {
  public var method: Method
  /// The request-target as sent (origin-form, e.g. `/api/v1/status?x=1`).
  public var target: String
  /// The path part of the target, still percent-encoded.
  public var path: String
  /// The query part of the target without `?`, still percent-encoded.
  public var query: String?
  public var version: HTTPVersion
  public var headers: HTTPHeaders
  /// The whole request body (bounded by the server's body limit).
  public var body: [UInt8]
  /// Parameters captured by the route pattern, percent-decoded.
  public var parameters: Parameters
  /// The peer's address, e.g. `127.0.0.1:53312`.
  public var remoteAddress: String
  /// `http` or `https`.
  public var scheme: String
  /// What the route's guard established for the handler (e.g. the authenticated caller).
  public var attributes = RequestAttributes()

  public init(
    method: Method, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:],
    body: [UInt8] = [], remoteAddress: String = "", scheme: String = "http"
  ) {
    self.method = method
    self.target = target
    if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
      path = String(target[..<q])
      query = String(target[target.index(after: q)...])
    } else {
      path = target
      query = nil
    }
    self.version = version
    self.headers = headers
    self.body = body
    self.parameters = Parameters()
    self.remoteAddress = remoteAddress
    self.scheme = scheme
  }

  /// Decoded query items, in order (`a=1&b=x%20y` → [("a","1"), ("b","x y")]).
  public var queryItems: [(name: String, value: String)] {
    guard let query, !query.isEmpty else { return [] }
    return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
      if let eq = pair.firstIndex(of: "=") {
        return (
          PercentDecoding.decode(pair[..<eq], plusAsSpace: true) ?? String(pair[..<eq]),
          PercentDecoding.decode(pair[pair.index(after: eq)...], plusAsSpace: true)
            ?? String(pair[pair.index(after: eq)...])
        )
      }
      return (PercentDecoding.decode(pair, plusAsSpace: true) ?? String(pair), "")
    }
  }

  /// The first decoded value of a query parameter.
  public func queryValue(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }

  /// Whether the client asked to close the connection after this request.
  var wantsClose: Bool {
    if version == .http1_0 { return !headers.containsToken("keep-alive", in: "Connection") }
    return headers.containsToken("close", in: "Connection")
  }
}

/// Route parameters captured from the path.
public struct Parameters: Sendable {
  var storage: [(String, String)] = []
  public init() {}
  public subscript(name: String) -> String? { storage.first { $0.0 == name }?.1 }
  mutating func set(_ name: String, _ value: String) { storage.append((name, value)) }
  public var isEmpty: Bool { storage.isEmpty }
}
