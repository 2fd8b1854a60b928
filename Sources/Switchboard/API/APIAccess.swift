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

  /// A closure for routes outside the API module (e.g. `/metrics`): nil when `role` is held, else the refusal.
  public func gate(_ role: TokenRole) -> @Sendable (Request) -> Response? {
    { request in
      do throws(APIError) {
        _ = try self.require(role, request)
        return nil
      } catch {
        return error.response
      }
    }
  }
}
