import FailoverCore
import Foundation
import HTTPServer

/// Overrides: list, read, create (freeze, drain, force, block) with a reason and an expiry, clear early.
public enum OverrideRoutes {
  /// Registers the routes.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/overrides", role: .viewer, context: context) { request, _ in
      var query = QueryParameters(request)
      let include = query.choice("include", ["active", "all"]) ?? "active"
      try query.finish()
      let now = context.clock.now
      let all = try await stored(context)
      let chosen = include == "all" ? all : all.filter { $0.isActive(at: now) }
      return APIJSON.response([
        "overrides": chosen.sorted { $0.createdAt > $1.createdAt }.map {
          OverrideRepresentation($0, now: now)
        }
      ])
    }
    router.api(.GET, "/api/v1/overrides/{override}", role: .viewer, context: context) { request, _ in
      let override = try await find(request, context)
      return APIJSON.response(OverrideRepresentation(override, now: context.clock.now))
    }
    router.api(.POST, "/api/v1/overrides", role: .operator, context: context) { request, principal in
      return try await context.idempotency.run(request, actor: principal.name) {
        let overrideRequest = try read(request, actor: principal.name, now: context.clock.now)
        let created: Override
        do throws(EngineError) {
          created = try await context.engine.createOverride(overrideRequest)
        } catch {
          throw error.apiError
        }
        var response = APIJSON.response(
          OverrideRepresentation(created, now: context.clock.now), status: .created)
        response.headers.add(name: "Location", value: "/api/v1/overrides/\(created.id)")
        return response
      }
    }
    router.api(.DELETE, "/api/v1/overrides/{override}", role: .operator, context: context) {
      request, principal in
      let existing = try await find(request, context)
      if existing.clearedAt != nil {
        return APIJSON.response(OverrideRepresentation(existing, now: context.clock.now))
      }
      guard existing.isActive(at: context.clock.now) else {
        throw APIError.conflict(
          "Override \(existing.id) expired at \(APIJSON.timestamp(existing.expiresAt)); there is nothing to clear.",
          slug: "override-expired")
      }
      let cleared: Override
      do throws(EngineError) {
        cleared = try await context.engine.clearOverride(id: existing.id, by: principal.name)
      } catch {
        throw error.kind == .invalid
          ? APIError.conflict(error.message, slug: "override-not-active") : error.apiError
      }
      return APIJSON.response(OverrideRepresentation(cleared, now: context.clock.now))
    }
  }

  /// The create request from the body: shape errors are 400; the engine judges the values (422).
  static func read(_ request: Request, actor: String, now: Date) throws(APIError) -> OverrideRequest {
    var body = try JSONBody(request)
    let scopeText = body.string("scope", required: true, maxLength: 300)
    let kindText = body.string("kind", required: true, maxLength: 20)
    let target = body.string("target_region", maxLength: 100)
    let allowUnhealthy = body.bool("allow_unhealthy_target")
    let reason = body.string("reason", required: true)
    var duration = body.number("duration_seconds", in: 60...259_200)
    var pastExpiry: String?
    if let text = body.string("expires_at", maxLength: 64) {
      if duration != nil {
        body.reject("expires_at", "Give either duration_seconds or expires_at, not both.")
      } else if let date = APIJSON.parseTimestamp(text) {
        if date > now {
          duration = date.timeIntervalSince(now)
        } else {
          // Well-formed but refused (like an expiry beyond the maximum): 422, after every shape error.
          pastExpiry = text
        }
      } else {
        body.reject("expires_at", "expires_at must be an RFC 3339 timestamp such as 2026-11-22T18:00:00Z.")
      }
    }
    var scope: OverrideScope?
    if let scopeText {
      scope = OverrideScope(token: scopeText)
      if scope == nil {
        body.reject("scope", "scope must be global, region:ID or service:ID, not \"\(scopeText)\".")
      }
    }
    var kind: OverrideKind?
    if let kindText {
      kind = OverrideKind(rawValue: kindText)
      if kind == nil {
        body.reject(
          "kind",
          "kind must be one of \(OverrideKind.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(kindText)\"."
        )
      }
    }
    if let target, target.isEmpty { body.reject("target_region", "target_region must not be empty.") }
    try body.finish()
    if let pastExpiry {
      throw .unprocessable(
        "expires_at (\(pastExpiry)) is not in the future.",
        errors: [FieldError("/expires_at", "not in the future")])
    }
    guard let scope, let kind, let reason else { throw .badRequest("scope, kind and reason are required.") }
    return OverrideRequest(
      scope: scope, kind: kind, targetRegion: target.map { RegionID(rawValue: $0) },
      allowUnhealthyTarget: allowUnhealthy ?? false, actor: actor, reason: reason, duration: duration)
  }

  // Read through the `OverrideStore` port, not the engine's `OverrideBook`: the store holds what was durably
  // saved (the book may briefly hold a change the store refused), so the API answers what survives a restart.
  private static func stored(_ context: APIContext) async throws(APIError) -> [Override] {
    do {
      return try await context.store.overrides()
    } catch {
      throw .unavailable("Overrides cannot be read from the store: \(error)")
    }
  }

  private static func find(_ request: Request, _ context: APIContext) async throws(APIError) -> Override {
    let id = request.parameters["override"] ?? ""
    let found: Override?
    do {
      found = try await context.store.override(id: id)
    } catch {
      throw .unavailable("The override cannot be read from the store: \(error)")
    }
    guard let found else { throw .notFound("There is no override \(id).") }
    return found
  }
}
