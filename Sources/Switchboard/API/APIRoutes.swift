import HTTPServer

/// Every route of the REST API (see openapi/openapi.yaml), registered in one place.
public enum APIRoutes {
  /// Registers the API on `router`.
  public static func register(in router: inout Router, context: APIContext) {
    OpenAPIRoutes.register(in: &router)
    ServiceRoutes.register(in: &router, context: context)
    FailoverRoutes.register(in: &router, context: context)
    OverrideRoutes.register(in: &router, context: context)
    ExplainRoutes.register(in: &router, context: context)
    EventRoutes.register(in: &router, context: context)
    ConfigurationRoutes.register(in: &router, context: context)
    EventStreamRoutes.register(in: &router, context: context)
    ObservationRoutes.register(in: &router, context: context)
    SessionRoutes.register(in: &router, context: context)
    ApprovalRoutes.register(in: &router, context: context)
  }
}
