import HTTPServer

/// `GET /api/v1/session`: who the presented token is (its name and role), so a client such as the dashboard can
/// disable what the role may not do and say why.
public enum SessionRoutes {
  struct SessionRepresentation: Encodable {
    var name: String
    var role: String
  }

  /// Registers the route.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/session", role: .viewer, context: context) { request, principal in
      return APIJSON.response(SessionRepresentation(name: principal.name, role: principal.role.rawValue))
    }
  }
}
