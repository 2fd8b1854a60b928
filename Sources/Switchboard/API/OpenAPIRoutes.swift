import Foundation
import HTTPServer

/// `GET /openapi.yaml`: the REST contract, as built into the binary.
public enum OpenAPIRoutes {
  /// The contract's bytes (the package resource that openapi/openapi.yaml links to).
  public static let document: [UInt8] = {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
      let data = try? Data(contentsOf: url)
    else { preconditionFailure("The OpenAPI document is missing from the Switchboard resources.") }
    return Array(data)
  }()

  /// Registers the route (public: the contract is no secret).
  public static func register(in router: inout Router) {
    let bytes = document
    let etag = "\"\(ETag.of(bytes))\""
    router.on(.GET, "/openapi.yaml", guard: RouteRole.anyoneGuard) { request in
      if ETag.matches(request.headers["If-None-Match"], etag) {
        return Response(status: .notModified, headers: ["ETag": etag, "Cache-Control": "no-cache"])
      }
      return Response(
        status: .ok, contentType: "application/yaml", bytes: bytes,
        headers: ["ETag": etag, "Cache-Control": "no-cache"])
    }
  }
}
