import FailoverCore
import Foundation
import HTTPServer

/// `GET /routing/{service}/{region}`: the endpoint Route53 health checks probe in `failover-health-check` mode.
///
/// 200 with `"receives_traffic":true` when the engine's current routing sends the service's traffic to the
/// region, 503 with `false` otherwise, 404 (problem+json) for an unknown service or region. Never cached.
public enum RoutingRoutes {
  /// Registers the route, answering from `engine` (and what a workflow in flight already published).
  public static func register(in router: inout Router, engine: Engine, table: RoutingTable) {
    router.on(
      .GET, "/routing/{service}/{region}", guard: RouteRole.anyoneGuard,
      async: { request in
        let serviceName = request.parameters["service"] ?? ""
        let regionName = request.parameters["region"] ?? ""
        let service = ServiceID(rawValue: serviceName)
        let region = RegionID(rawValue: regionName)
        guard let snapshot = await engine.snapshot(service: service) else {
          return notFound("Service \(serviceName) is not configured.", path: request.path)
        }
        guard snapshot.regions.contains(where: { $0.region == region }) else {
          return notFound(
            "Region \(regionName) is not one of \(serviceName)'s regions "
              + "(\(snapshot.regions.map(\.region.rawValue).joined(separator: ", "))).",
            path: request.path)
        }
        // A workflow in flight may have published its target already; otherwise the engine's routing holds.
        let published = snapshot.workflow == nil ? nil : table.current(service: service)
        let receives = (published ?? snapshot.routing).receives(region)
        let body =
          #"{"service":\#(quoted(serviceName)),"region":\#(quoted(regionName)),"#
          + #""receives_traffic":\#(receives)}"#
        var response = Response.json(
          Array(body.utf8), status: receives ? .ok : .serviceUnavailable)
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
      })
  }

  /// A JSON string literal (names come from the request path, so they are escaped).
  private static func quoted(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }

  private static func notFound(_ detail: String, path: String) -> Response {
    var response = ProblemDetails(status: .notFound, detail: detail, instance: path).response
    response.headers.add(name: "Cache-Control", value: "no-store")
    return response
  }
}
