import Configuration
import FailoverCore
import HTTPServer

/// `GET /api/v1/services`, `GET /api/v1/services/{service}`, `GET /api/v1/regions`, `GET /api/v1/regions/{region}`.
public enum ServiceRoutes {
  /// Registers the routes.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/services", role: .viewer, context: context) { request, _ in
      let (config, snapshot) = await state(context)
      let services = config.services.compactMap { service in
        snapshot.service(service.id).map { ServiceRepresentation(service, snapshot: $0, now: snapshot.at) }
      }
      return APIJSON.response(["services": services])
    }
    router.api(.GET, "/api/v1/services/{service}", role: .viewer, context: context) { request, _ in
      let (service, snapshot) = try await service(request, context)
      return APIJSON.response(ServiceRepresentation(service, snapshot: snapshot, now: context.clock.now))
    }
    router.api(.GET, "/api/v1/regions", role: .viewer, context: context) { request, _ in
      let (config, snapshot) = await state(context)
      return APIJSON.response([
        "regions": config.regions.map { RegionRepresentation($0.id, snapshot: snapshot) }
      ])
    }
    router.api(.GET, "/api/v1/regions/{region}", role: .viewer, context: context) { request, _ in
      let name = request.parameters["region"] ?? ""
      let (config, snapshot) = await state(context)
      guard let region = config.regions.first(where: { $0.id.rawValue == name }) else {
        throw APIError.notFound(
          "Region \(name) is not configured (regions: \(config.regions.map(\.id.rawValue).joined(separator: ", ")))."
        )
      }
      return APIJSON.response(RegionRepresentation(region.id, snapshot: snapshot))
    }
  }

  /// The configuration and snapshot, taken together.
  static func state(_ context: APIContext) async -> (SwitchboardConfig, EngineSnapshot) {
    async let config = context.engine.configuration()
    async let snapshot = context.engine.snapshot()
    return await (config, snapshot)
  }

  /// The service named by the `{service}` parameter, or 404.
  static func service(_ request: Request, _ context: APIContext) async throws(APIError)
    -> (Service, ServiceSnapshot)
  {
    let name = request.parameters["service"] ?? ""
    async let found = context.engine.snapshot(service: ServiceID(rawValue: name))
    let config = await context.engine.configuration()
    guard let current = await found, let service = config.service(current.id) else {
      throw .notFound(
        "Service \(name) is not configured (services: "
          + "\(config.services.map(\.id.rawValue).joined(separator: ", "))).")
    }
    return (service, current)
  }
}
