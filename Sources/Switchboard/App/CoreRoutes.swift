import HTTPServer

/// The routes every Switchboard process answers regardless of configuration.
public enum CoreRoutes {
  static let healthBody = Array(#"{"status":"ok"}"#.utf8)

  /// `GET /healthz`: the process is alive and serving.
  public static func register(in router: inout Router) {
    let response = Response(
      status: .ok, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
      body: .bytes(healthBody))
    router.on(.GET, "/healthz", guard: RouteRole.anyoneGuard) { _ in response }
  }
}
