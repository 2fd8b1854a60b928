/// A requirement a route declares once, checked before its handler on every request (an authorization
/// rule, a feature switch, …). The server knows nothing of what it means: the check lets the request through
/// (nil) or answers it in the handler's place (typically a 401 or 403 problem). A check that lets a request
/// through may leave what it found in `Request.attributes` for the handler (e.g. the authenticated caller).
public struct RouteGuard: Sendable {
  /// What the guard requires, in words for route listings and drift checks (e.g. `operator`).
  public var requirement: String
  /// Lets the request through (nil, its attributes possibly set) or returns the answer to send instead of
  /// running the handler.
  public var check: @Sendable (inout Request) -> Response?

  /// A guard named for its requirement.
  public init(_ requirement: String, check: @escaping @Sendable (inout Request) -> Response?) {
    self.requirement = requirement
    self.check = check
  }

  /// `handler`, behind this guard: it sees the request as the check left it.
  func protect(_ handler: RouteHandler) -> RouteHandler {
    let check = self.check
    switch handler {
    case .sync(let function):
      return .sync { request in
        var request = request
        if let refusal = check(&request) { return refusal }
        return try function(request)
      }
    case .async(let function):
      return .async { request in
        var request = request
        if let refusal = check(&request) { return refusal }
        return try await function(request)
      }
    }
  }
}
