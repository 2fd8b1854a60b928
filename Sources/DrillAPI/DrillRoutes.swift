import FailoverCore
import Foundation
import HTTPServer
import Switchboard

/// Drills: create, list, read, update before the start, cancel, pause, resume, abort; the next five occurrences
/// of a schedule before it is saved; and each run's report.
public enum DrillRoutes {
  /// Registers the routes.
  public static func register(in router: inout Router, context: APIContext) {
    router.api(.GET, "/api/v1/drills", role: .viewer, context: context) { request, _ in
      try QueryParameters(request).finish()
      let drills = try await read { try await context.store.drills() }
      let now = context.clock.now
      return APIJSON.response(["drills": drills.reversed().map { DrillRepresentation($0, now: now) }])
    }
    router.api(.GET, "/api/v1/drills/preview", role: .viewer, context: context) { request, _ in
      var query = QueryParameters(request)
      let cron = query.string("cron", maxLength: 200)
      let zone = query.string("time_zone", maxLength: 100) ?? "UTC"
      let start = query.string("start_at", maxLength: 64)
      try query.finish()
      let schedule = try schedule(cron: cron, zone: zone, start: start, now: context.clock.now)
      return APIJSON.response(
        ["occurrences": Occurrence.list(schedule, after: context.clock.now, count: 5)])
    }
    router.api(.POST, "/api/v1/drills", role: .operator, context: context) { request, principal in
      if let relayed = try await LeaderForwarding.forwardIfFollower(request, context) { return relayed }
      return try await context.idempotency.run(request, actor: principal.name) {
        let (draft, reason) = try readDraft(request, now: context.clock.now)
        let drill = try await conduct(context) {
          try await $0.create(draft, actor: principal.name, reason: reason)
        }
        var response = APIJSON.response(DrillRepresentation(drill, now: context.clock.now), status: .created)
        response.headers.add(name: "Location", value: "/api/v1/drills/\(drill.id)")
        return response
      }
    }
    router.api(.GET, "/api/v1/drills/{drill}", role: .viewer, context: context) { request, _ in
      APIJSON.response(DrillRepresentation(try await find(request, context), now: context.clock.now))
    }
    router.api(.PUT, "/api/v1/drills/{drill}", role: .operator, context: context) { request, principal in
      if let relayed = try await LeaderForwarding.forwardIfFollower(request, context) { return relayed }
      return try await context.idempotency.run(request, actor: principal.name) {
        let id = try await find(request, context).id
        let (draft, reason) = try readDraft(request, now: context.clock.now)
        let drill = try await conduct(context) {
          try await $0.update(id: id, draft, actor: principal.name, reason: reason)
        }
        return APIJSON.response(DrillRepresentation(drill, now: context.clock.now))
      }
    }
    for action in ["cancel", "pause", "resume", "abort"] {
      router.api(.POST, "/api/v1/drills/{drill}/\(action)", role: .operator, context: context) {
        request, principal in
        if let relayed = try await LeaderForwarding.forwardIfFollower(request, context) { return relayed }
        return try await context.idempotency.run(request, actor: principal.name) {
          let id = try await find(request, context).id
          var body = try JSONBody(request)
          let reason = body.string("reason", required: true)
          try body.finish()
          let actor = principal.name
          let now = context.clock.now
          return try await conduct(context) { conductor in
            switch action {
            case "abort":
              return APIJSON.response(try await conductor.abort(id: id, actor: actor, reason: reason ?? ""))
            case "cancel":
              let drill = try await conductor.cancel(id: id, actor: actor, reason: reason ?? "")
              return APIJSON.response(DrillRepresentation(drill, now: now))
            default:
              let drill = try await conductor.setPaused(
                id: id, action == "pause", actor: actor, reason: reason ?? "")
              return APIJSON.response(DrillRepresentation(drill, now: now))
            }
          }
        }
      }
    }
    router.api(.GET, "/api/v1/drills/{drill}/runs", role: .viewer, context: context) { request, _ in
      var query = QueryParameters(request)
      let limit = query.integer("limit", in: 1...500) ?? 50
      try query.finish()
      let id = try await find(request, context).id
      return APIJSON.response([
        "runs": try await read { try await context.store.drillRuns(drillID: id, limit: limit) }
      ])
    }
    router.api(.GET, "/api/v1/drill-runs/{run}", role: .viewer, context: context) { request, _ in
      let id = request.parameters["run"] ?? ""
      guard let run = try await read({ try await context.store.drillRun(id: id) }) else {
        throw APIError.notFound("There is no drill run \(id).")
      }
      var response = APIJSON.response(run)
      response.headers.add(
        name: "Content-Disposition", value: "inline; filename=\"drill-run-\(run.id).json\"")
      return response
    }
  }

  /// The create or update body: shape errors are 400, values the drill rules refuse are 422.
  static func readDraft(_ request: Request, now: Date) throws(APIError) -> (DrillDraft, String) {
    var body = try JSONBody(request)
    let subjectText = body.string("subject", required: true, maxLength: 300)
    let target = body.string("target_region", required: true, maxLength: 100)
    let modeText = body.string("mode", maxLength: 20) ?? "dry-run"
    let hold = body.number("hold_seconds", in: 0...86400) ?? 600
    let objective = body.number("objective_seconds", in: 1...86400) ?? 300
    let start = body.string("start_at", maxLength: 64)
    let cron = body.string("cron", maxLength: 200)
    let zone = body.string("time_zone", maxLength: 100)
    var rails = DrillGuardRails()
    rails.blockedDates = body.strings("blocked_dates") ?? []
    let blocked = body.strings("blocked_windows") ?? []
    let allowed = body.strings("allowed_windows") ?? []
    rails.blockingAlarms = body.strings("blocking_alarms") ?? []
    rails.outcomeAlarms = body.strings("outcome_alarms") ?? []
    let reason = body.string("reason", required: true)
    let subject = subjectText.flatMap(DrillSubject.init(token:))
    if let subjectText, subject == nil {
      body.reject("subject", "subject must be service:ID or region:ID, not \"\(subjectText)\".")
    }
    let mode = DrillMode(rawValue: modeText)
    if mode == nil { body.reject("mode", "mode must be dry-run or live, not \"\(modeText)\".") }
    if (start == nil) == (cron == nil) {
      body.reject("start_at", "Give either start_at or cron (one of them).")
    }
    if start != nil, zone != nil {
      body.reject("time_zone", "time_zone goes with cron; start_at carries its offset.")
    }
    try body.finish()
    guard let subject, let target, let mode, let reason else {
      throw .badRequest("subject, target_region and reason are required.")
    }
    do {
      rails.blockedWindows = try blocked.map { text throws(DrillError) in try WeeklyWindow(parsing: text) }
      rails.allowedWindows = try allowed.map { text throws(DrillError) in try WeeklyWindow(parsing: text) }
      _ = try rails.validated()
    } catch {
      throw .unprocessable(
        error.message, errors: [FieldError(error.field ?? "/blocked_windows", error.message)])
    }
    let schedule = try schedule(cron: cron, zone: zone ?? "UTC", start: start, now: now)
    return (
      DrillDraft(
        subject: subject, targetRegion: RegionID(target), mode: mode, holdSeconds: hold,
        objectiveSeconds: objective,
        schedule: schedule, guardRails: rails), reason
    )
  }

  /// A one-shot start (RFC 3339 with an explicit offset) or a cron recurrence in a named zone.
  static func schedule(cron: String?, zone: String, start: String?, now: Date) throws(APIError)
    -> DrillSchedule
  {
    if let start {
      guard let date = RFC3339.parse(start) else {
        throw .unprocessable(
          "start_at (\"\(start)\") must be an RFC 3339 time with an explicit offset, such as "
            + "2026-03-31T10:00:00+02:00 or 2026-03-31T08:00:00Z; a time without an offset is ambiguous.",
          errors: [FieldError("/start_at", "not RFC 3339 with an explicit offset")])
      }
      return .once(date)
    }
    guard let cron else { throw .unprocessable("Give cron (with time_zone) or start_at.") }
    do { return try DrillSchedule.recurring(cron: cron, zone: zone) } catch {
      throw .unprocessable(error.message, errors: [FieldError(error.field ?? "/cron", error.message)])
    }
  }

  private static func conduct<T>(
    _ context: APIContext, _ body: (DrillConductor) async throws -> T
  ) async throws -> T {
    guard let conductor = context.drills else {
      throw APIError.unavailable("Drills are not running in this process.")
    }
    do { return try await body(conductor) } catch let error as DrillError {
      throw APIError.unprocessable(
        error.message, errors: error.field.map { [FieldError($0, error.message)] } ?? [])
    } catch let error as DrillConflict {
      throw APIError.conflict(error.message, slug: "drill-state")
    } catch let error as DrillNotFound {
      throw APIError.notFound(error.message)
    } catch let error as APIError {
      throw error
    } catch {
      throw APIError.unavailable("The drill could not be saved: \(error)")
    }
  }

  private static func read<T>(_ body: () async throws -> T) async throws(APIError) -> T {
    do { return try await body() } catch {
      throw .unavailable("Drills cannot be read from the store: \(error)")
    }
  }

  private static func find(_ request: Request, _ context: APIContext) async throws(APIError) -> Drill {
    let id = request.parameters["drill"] ?? ""
    guard let drill = try await read({ try await context.store.drill(id: id) }) else {
      throw .notFound("There is no drill \(id).")
    }
    return drill
  }
}

/// A drill as the API shows it: the drill and its next five occurrences.
struct DrillRepresentation: Encodable {
  let drill: Drill
  let next: [Occurrence]

  init(_ drill: Drill, now: Date) {
    self.drill = drill
    next =
      drill.state.isFinal ? [] : Occurrence.list(drill.schedule, after: now.addingTimeInterval(-1), count: 5)
  }

  private enum Keys: String, CodingKey { case nextOccurrences = "next_occurrences" }

  func encode(to encoder: Encoder) throws {
    try drill.encode(to: encoder)
    var container = encoder.container(keyedBy: Keys.self)
    try container.encode(next, forKey: .nextOccurrences)
  }
}

/// One occurrence, in UTC and in the schedule's zone.
struct Occurrence: Encodable {
  let at: Date
  let local: String
  let timeZone: String

  static func list(_ schedule: DrillSchedule, after: Date, count: Int) -> [Occurrence] {
    let zone = schedule.timeZone
    return schedule.occurrences(after: after, count: count).map {
      Occurrence(at: $0, local: DrillCalendar.local($0, zone), timeZone: zone.identifier)
    }
  }
}
