import HTTPServer

/// `GET /metrics`: the Prometheus text exposition of one Switchboard instance.
public enum MetricsRoutes {
  /// Registers the route; `authorize` returns nil to let a request through, or the refusal to send instead.
  public static func register(
    in router: inout Router, metrics: SwitchboardMetrics,
    authorize: @escaping @Sendable (Request) -> Response?
  ) {
    router.get(
      "/metrics",
      async: { request in
        if let refusal = authorize(request) { return refusal }
        var response = Response(contentType: SwitchboardMetrics.contentType, bytes: await metrics.render())
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
      })
  }
}
