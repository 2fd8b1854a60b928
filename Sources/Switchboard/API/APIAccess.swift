import Configuration
import HTTPServer
import Synchronization

/// Who may call what: every API operation asks for a minimum role; status documents may be public.
///
/// Roles are ordered viewer < operator < admin. No `Authorization` header is 401 (unless the operation is public);
/// a bad token is always 401, even on public operations, so a typo is noticed; too low a role is 403.
public final class APIAccess: Sendable {
  /// The token checker (replaced tokens on reload).
  public let authenticator: TokenAuthenticator
  private let publicStatusFlag: Atomic<Bool>

  public init(tokens: [AuthToken], publicStatus: Bool) {
    authenticator = TokenAuthenticator(tokens: tokens)
    publicStatusFlag = Atomic(publicStatus)
  }

  /// Applies a reloaded configuration's tokens and `public_status`.
  public func reload(tokens: [AuthToken], publicStatus: Bool) {
    authenticator.replace(tokens: tokens)
    publicStatusFlag.store(publicStatus, ordering: .relaxed)
  }

  /// Whether status documents are served without a token.
  public var publicStatus: Bool { publicStatusFlag.load(ordering: .relaxed) }

  /// The caller, who must hold at least `role`.
  public func require(_ role: TokenRole, _ request: Request) throws(APIError) -> Principal {
    try require(role, authenticator.authenticate(request))
  }

  private func require(_ role: TokenRole, _ outcome: TokenAuthenticator.Outcome) throws(APIError) -> Principal
  {
    switch outcome {
    case .anonymous:
      throw .unauthorized("This operation needs a bearer token with the \(role.rawValue) role or higher.")
    case .rejected(let reason):
      throw .unauthorized(reason)
    case .authenticated(let principal):
      guard principal.role >= role else { throw .forbidden(principal, needs: role) }
      return principal
    }
  }

  /// The caller of a status document: anyone when `public_status` is on (nil for anonymous), else a viewer.
  public func requireStatusReader(_ request: Request) throws(APIError) -> Principal? {
    let outcome = authenticator.authenticate(request)
    if publicStatus, case .anonymous = outcome { return nil }
    return try require(.viewer, outcome)
  }

  /// The guard a route declaring `role` is registered with: it authenticates the request once and leaves the
  /// caller in its attributes (`Request.caller`) for the handler, or answers 401/403 in the handler's place.
  public func routeGuard(_ role: RouteRole) -> RouteGuard {
    if role == .anyone { return RouteRole.anyoneGuard }
    return RouteGuard(role.rawValue) { request in self.admit(role, &request) }
  }

  /// Lets `request` through (nil, its caller in `request.attributes` when authenticated) when the caller may use
  /// a route declaring `role`; otherwise the refusal's problem document.
  public func admit(_ role: RouteRole, _ request: inout Request) -> Response? {
    let caller: Principal?
    do throws(APIError) {
      switch role {
      case .anyone: return nil
      case .statusReader: caller = try requireStatusReader(request)
      case .viewer: caller = try require(.viewer, request)
      case .operator: caller = try require(.operator, request)
      case .admin: caller = try require(.admin, request)
      }
    } catch {
      return error.response
    }
    if let caller { request.attributes[Principal.self] = caller }
    return nil
  }
}
