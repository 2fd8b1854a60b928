import Configuration
import HTTPServer

/// The least a caller must be to use a route, declared where the route is registered and checked once, before
/// its handler, by the route's guard (`APIAccess.routeGuard(_:)`). The contract names the same requirement as
/// `x-required-role` (with `security: [{}, …]` for the status documents, `security: []` for public routes).
public enum RouteRole: String, Sendable, Hashable, CaseIterable {
  /// Anyone, token or not; the `Authorization` header is not read (liveness, readiness, the contract, the
  /// verdicts Route53 health checks probe, CORS preflights).
  case anyone
  /// A status document's reader: anyone when `public_status` is on, else a viewer. A presented token must be
  /// valid even when the documents are public, so a mistyped token is noticed.
  case statusReader = "status-reader"
  /// A token with the viewer role or higher.
  case viewer
  /// A token with the operator role or higher.
  case `operator`
  /// A token with the admin role.
  case admin

  /// The route role that needs exactly `role`.
  public init(_ role: TokenRole) {
    switch role {
    case .viewer: self = .viewer
    case .operator: self = .operator
    case .admin: self = .admin
    }
  }

  /// The guard of a route anyone may use: it lets every request through without reading it.
  public static let anyoneGuard = RouteGuard(RouteRole.anyone.rawValue) { _ in nil }
}

extension Request {
  /// The caller the route's guard authenticated; nil on routes anyone may use and for an anonymous reader of
  /// public status documents.
  public var caller: Principal? { attributes[Principal.self] }
}
