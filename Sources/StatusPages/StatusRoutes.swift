import HTTPServer
import Switchboard

/// `GET /api/v1/status`, `GET /api/v2/status.json`, `GET /api/v2/summary.json` (and their CORS preflights):
/// pre-rendered documents served from memory, with strong ETags and `If-None-Match` → 304.
///
/// These are the only routes with CORS headers: any origin may read them (GET and HEAD), so a status page on
/// another host can poll them from a browser.
public enum StatusRoutes {
  /// How long a browser may cache a preflight answer, in seconds.
  static let preflightMaxAge = "600"

  /// Registers the routes with a publisher that follows `context.engine` until it stops.
  public static func register(in router: inout Router, context: APIContext) {
    let publisher = StatusPublisher(clock: context.clock)
    let engine = context.engine
    let store = context.store
    Task { await publisher.start(engine: engine, store: store) }
    register(in: &router, access: context.access, publisher: publisher)
  }

  /// Registers the routes serving `publisher`'s documents: GET and HEAD for status readers (a refusal is
  /// CORS-readable too), preflights for anyone.
  public static func register(in router: inout Router, access: APIAccess, publisher: StatusPublisher) {
    let reader = RouteGuard(RouteRole.statusReader.rawValue) { request in
      access.admit(.statusReader, &request).map(withCORS)
    }
    for kind in StatusDocumentKind.allCases {
      router.on(.GET, kind.path, guard: reader) { request in
        respond(kind, request, access: access, publisher: publisher)
      }
      router.on(.OPTIONS, kind.path, guard: RouteRole.anyoneGuard) { _ in preflight() }
    }
  }

  /// The answer to one GET or HEAD its route's guard let through.
  static func respond(
    _ kind: StatusDocumentKind, _ request: Request, access: APIAccess, publisher: StatusPublisher
  )
    -> Response
  {
    guard let document = publisher.current?.document(kind) else {
      var response = APIError.unavailable(
        "The status documents are being rendered for the first time; retry in a second."
      )
      .response
      response.headers.add(name: "Retry-After", value: "1")
      return withCORS(response)
    }
    let cacheControl = access.publicStatus ? "public, no-cache" : "private, no-cache"
    // The exact tag (what pollers send back) is compared first: the general parse costs more than the answer.
    let ifNoneMatch = request.headers["If-None-Match"]
    if ifNoneMatch == document.etag || ETag.matches(ifNoneMatch, document.etag) {
      return withCORS(
        Response(status: .notModified, headers: ["ETag": document.etag, "Cache-Control": cacheControl]))
    }
    return withCORS(
      Response(
        status: .ok, contentType: "application/json", bytes: document.bytes,
        headers: ["ETag": document.etag, "Cache-Control": cacheControl]))
  }

  /// A CORS preflight: GET and HEAD from any origin, with `Authorization` and `If-None-Match`.
  static func preflight() -> Response {
    Response(
      status: .noContent,
      headers: [
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, If-None-Match",
        "Access-Control-Max-Age": preflightMaxAge,
        "Allow": "GET, HEAD, OPTIONS",
        "Cache-Control": "public, max-age=\(preflightMaxAge)",
      ])
  }

  private static func withCORS(_ response: Response) -> Response {
    var response = response
    response.headers.add(name: "Access-Control-Allow-Origin", value: "*")
    response.headers.add(name: "Access-Control-Expose-Headers", value: "ETag")
    return response
  }
}
