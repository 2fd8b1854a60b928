import HTTPServer
import Switchboard

/// `GET /metrics`: the Prometheus text exposition of one Switchboard instance.
public enum MetricsRoutes {
  /// Registers the route for viewers (and higher roles), checked by `access`.
  public static func register(in router: inout Router, metrics: SwitchboardMetrics, access: APIAccess) {
    router.on(
      .GET, "/metrics", guard: access.routeGuard(.viewer),
      async: { _ in
        var response = Response(contentType: SwitchboardMetrics.contentType, bytes: await metrics.render())
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
      })
  }
}
