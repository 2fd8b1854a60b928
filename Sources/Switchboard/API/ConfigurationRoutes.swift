import Foundation
import HTTPServer

/// `POST /api/v1/configuration/reload` (admin): what SIGHUP does, audited with the token's name.
public enum ConfigurationRoutes {
  struct Reloaded: Encodable {
    var reloaded: Bool
    var services: Int
    var restartRequiredFor: [String]
  }

  /// Registers the route.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.POST, "/api/v1/configuration/reload", role: .admin, context: context) { request, principal in
      return try await context.idempotency.run(request, actor: principal.name) {
        let body = try JSONBody(request, allowEmpty: true)
        try body.finish()
        guard let reloader = context.reloader else {
          throw APIError.unavailable("This process has no configuration file to reload.")
        }
        switch await reloader.reload(actor: principal.name) {
        case .reloaded(let services, let restartOnly):
          return APIJSON.response(
            Reloaded(reloaded: true, services: services, restartRequiredFor: restartOnly))
        case .rejected(let error):
          throw APIError.unprocessable(
            "The configuration file has \(error.problems.count) problem(s); the running configuration stays. "
              + "Fix them and retry (`switchboard validate` lists them too).",
            errors: error.problems.map { FieldError("\(error.path):\($0.line):\($0.column)", $0.message) })
        }
      }
    }
  }
}
