import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Logging

/// What API handlers work with: the engine, the store, access control, idempotency, and the clock.
public struct APIContext: Sendable {
  /// The control loop.
  public let engine: Engine
  /// Events, workflows, idempotency records.
  public let store: any SwitchboardStore
  /// Tokens and roles.
  public let access: APIAccess
  /// `Idempotency-Key` handling for POSTs.
  public let idempotency: IdempotencyKeys
  /// "Now".
  public let clock: any FailoverCore.Clock
  /// Re-reads the configuration file (nil when the process has no file to re-read).
  public let reloader: ConfigurationReloader?
  /// Runs and manages drills (nil: the drill routes answer 503).
  public let drills: DrillConductor?

  public init(
    engine: Engine, store: any SwitchboardStore, access: APIAccess, reloader: ConfigurationReloader? = nil,
    clock: any FailoverCore.Clock = SystemClock(), drills: DrillConductor? = nil
  ) {
    self.drills = drills
    self.engine = engine
    self.store = store
    self.access = access
    self.reloader = reloader
    self.idempotency = IdempotencyKeys(store: store, clock: clock)
    self.clock = clock
  }
}

/// Registers API handlers: an `APIError` becomes its problem document, anything else a logged 500.
public enum APIHandler {
  private static let logger = Logger(label: "switchboard.api")

  /// A handler that may throw `APIError`.
  public typealias Body = @Sendable (Request) async throws -> Response

  /// Wraps `body` so every error is answered as problem+json.
  public static func wrap(_ body: @escaping Body) -> @Sendable (Request) async throws -> Response {
    { request in
      do {
        return try await body(request)
      } catch let error as APIError {
        return error.response
      } catch {
        logger.error("\(request.method) \(request.path) failed: \(error)")
        return APIError(
          ProblemDetails(
            status: .internalServerError,
            detail: "The server could not answer this request; the error is in its log.",
            type: APIError.type("internal"), title: "Internal error")
        ).response
      }
    }
  }
}

extension Router {
  /// Registers an API handler for `method` and `pattern` that needs a token with at least `role`: the route's
  /// guard checks it once, before `body`, which gets the authenticated caller (the actor of what it records).
  /// Errors are answered as problem+json.
  public mutating func api(
    _ method: Method, _ pattern: String, role: TokenRole, context: APIContext,
    _ body: @escaping @Sendable (Request, Principal) async throws -> Response
  ) {
    on(
      method, pattern, guard: context.access.routeGuard(RouteRole(role)),
      async: APIHandler.wrap { request in
        guard let caller = request.caller else { throw MissingCaller() }
        return try await body(request, caller)
      })
  }
}

/// A guarded API handler ran without the caller its guard establishes (a wiring bug; answered as a 500).
struct MissingCaller: Error, CustomStringConvertible {
  var description: String { "the route's guard left no caller" }
}

extension EngineError {
  /// The API's answer to an engine refusal.
  var apiError: APIError {
    switch kind {
    case .invalid: .unprocessable(message)
    case .notFound: .notFound(message)
    case .conflict: .conflict(message, slug: "workflow-in-flight")
    case .unavailable: .unavailable(message)
    }
  }
}
