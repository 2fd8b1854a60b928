import Dispatch
import Logging

/// The one path from a parsed request to its response, for HTTP/1.1 and HTTP/2 alike: the request target's
/// form, routing, the built-in answers (`OPTIONS`, 404, 405 with `Allow`), the route's guard and handler, and
/// a thrown error's problem document. Connections only frame what it decides.
public struct RequestDispatcher: Sendable {
  /// What dispatching a request came to.
  public enum Outcome: Sendable {
    /// The response is ready: a built-in answer or a synchronous handler's. `request` carries the route's
    /// parameters; `pattern` is the matched route, nil for built-in answers.
    case ready(Request, Response, pattern: String?)
    /// An asynchronous handler produces the response: start it with `PendingResponse.run`.
    case pending(PendingResponse)
  }

  /// Every method the server knows, the `Allow` answer to `OPTIONS *`.
  static let allMethodsHeader = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

  let router: Router
  let logger: Logger

  /// A dispatcher over `router`; handler failures that are not problems are logged on `logger`.
  public init(router: Router, logger: Logger = Logger(label: "switchboard.http")) {
    self.router = router
    self.logger = logger
  }

  /// Routes a request and answers it now, or says which asynchronous handler will.
  public func dispatch(_ request: Request) -> Outcome {
    var request = request
    if !request.path.hasPrefix("/") {
      if request.path == "*", request.method == .OPTIONS {
        return .ready(
          request, Response(status: .noContent, headers: ["Allow": Self.allMethodsHeader]), pattern: nil)
      }
      guard let path = Self.pathOfAbsoluteForm(request.path) else {
        let problem = ProblemDetails(status: .badRequest, detail: "The request target must start with '/'.")
        return .ready(request, problem.response, pattern: nil)
      }
      request.path = path
    }
    switch router.match(request.method, path: request.path) {
    case .found(let handler, let parameters, let pattern):
      request.parameters = parameters
      switch handler {
      case .sync(let function):
        let response: Response
        do { response = try function(request) } catch { response = errorResponse(error, request: request) }
        return .ready(request, response, pattern: pattern)
      case .async(let function):
        return .pending(
          PendingResponse(request: request, pattern: pattern, handler: function, dispatcher: self))
      }
    case .methodNotAllowed(let allowed):
      let allow = allowed.map(\.rawValue).joined(separator: ", ")
      if request.method == .OPTIONS {
        return .ready(request, Response(status: .noContent, headers: ["Allow": allow]), pattern: nil)
      }
      var response = ProblemDetails(
        status: .methodNotAllowed,
        detail: "\(request.method) is not allowed on \(request.path); allowed: \(allow)."
      ).response
      response.headers.add(name: "Allow", value: allow)
      return .ready(request, response, pattern: nil)
    case .notFound:
      let problem = ProblemDetails(status: .notFound, detail: "Nothing is at \(request.path).")
      return .ready(request, problem.response, pattern: nil)
    }
  }

  /// The whole answer to a request in process, without a connection (harnesses and tools).
  public func response(to request: Request) async -> Response {
    switch dispatch(request) {
    case .ready(_, let response, _): return response
    case .pending(let pending): return await pending.response()
    }
  }

  /// The response for an error a handler threw: its problem document, or a 500.
  func errorResponse(_ error: any Error, request: Request) -> Response {
    if let problem = error as? ProblemDetails { return problem.response }
    if let convertible = error as? any ProblemConvertible { return convertible.problem.response }
    logger.error("Handler for \(request.method) \(request.path) failed: \(error)")
    return ProblemDetails(status: .internalServerError, detail: "The server failed to handle the request.")
      .response
  }

  /// `http://host:port/path?q` → `/path?q` (RFC 9112 §3.2.2).
  static func pathOfAbsoluteForm(_ target: String) -> String? {
    let scheme: Substring
    if target.utf8.count > 7, target.prefix(7).equalsIgnoringASCIICase("http://") {
      scheme = target.dropFirst(7)
    } else if target.utf8.count > 8, target.prefix(8).equalsIgnoringASCIICase("https://") {
      scheme = target.dropFirst(8)
    } else {
      return nil
    }
    let afterAuthority = scheme
    guard let slash = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
    let rest = afterAuthority[slash...]
    let path = rest.hasPrefix("?") ? "/" + rest : String(rest)
    return String(path.split(separator: "?", maxSplits: 1).first ?? "/")
  }
}

/// A routed request whose asynchronous handler has yet to produce the response.
public struct PendingResponse: Sendable {
  /// The request, with the route's parameters.
  public let request: Request
  /// The matched route.
  public let pattern: String
  let handler: @Sendable (Request) async throws -> Response
  let dispatcher: RequestDispatcher

  /// Runs the handler (a thrown error becomes its problem document).
  public func response() async -> Response {
    do { return try await handler(request) } catch {
      return dispatcher.errorResponse(error, request: request)
    }
  }

  /// Runs the handler in a task and hands its response to `deliver` on `queue` (the connection's).
  func run(on queue: DispatchQueue, _ deliver: @escaping @Sendable (Request, Response, String) -> Void) {
    Task {
      let response = await self.response()
      queue.async { deliver(self.request, response, self.pattern) }
    }
  }
}
