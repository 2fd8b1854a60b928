import HTTPServer

/// Every route of the REST API (see openapi/openapi.yaml), registered in one place.
public enum APIRoutes {
  /// Registers the API on `router`.
  public static func register(in router: inout Router, context: APIContext) {
    OpenAPIRoutes.register(in: &router)
  }
}
