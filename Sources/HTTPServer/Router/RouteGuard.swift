/// A requirement a route declares once, checked before its handler on every request (an authorization
/// rule, a feature switch, …). The server knows nothing of what it means: the check lets the request through
/// (nil) or answers it in the handler's place (typically a 401 or 403 problem).
public struct RouteGuard: Sendable {
  /// What the guard requires, in words for route listings and drift checks (e.g. `operator`).
  public var requirement: String
  /// Lets the request through (nil) or returns the answer to send instead of running the handler.
  public var check: @Sendable (Request) -> Response?

  /// A guard named for its requirement.
  public init(_ requirement: String, check: @escaping @Sendable (Request) -> Response?) {
    self.requirement = requirement
    self.check = check
  }

  /// `handler`, behind this guard.
  func protect(_ handler: RouteHandler) -> RouteHandler {
    let check = self.check
    switch handler {
    case .sync(let function):
      return .sync { request in
        if let refusal = check(request) { return refusal }
        return try function(request)
      }
    case .async(let function):
      return .async { request in
        if let refusal = check(request) { return refusal }
        return try await function(request)
      }
    }
  }
}
