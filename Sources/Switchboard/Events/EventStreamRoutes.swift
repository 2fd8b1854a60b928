import FailoverCore
import HTTPServer

/// `GET /api/v1/events/stream`: the audit log as Server-Sent Events, live, resumable with `Last-Event-ID`.
///
/// Without `Last-Event-ID` (header, or `last_event_id` in the query) the stream starts at the newest event
/// (`backlog=N` replays the last N first). Viewer role required. No CORS headers.
public enum EventStreamRoutes {
  /// The stream's path.
  public static let path = "/api/v1/events/stream"
  /// The `retry:` hint, in milliseconds.
  static let retryMilliseconds = 3000
  /// The largest `backlog`.
  static let maximumBacklog = 1000

  /// Registers the route with a hub that follows `context.engine` (and stops when the engine stops).
  public static func register(in router: inout Router, context: APIContext) {
    let hub = EventHub(store: context.store)
    hub.start(engine: context.engine)
    register(in: &router, access: context.access, hub: hub)
  }

  /// Registers the route streaming from `hub`.
  public static func register(in router: inout Router, access: APIAccess, hub: EventHub) {
    router.on(.GET, path, guard: access.routeGuard(.viewer)) { request in
      do throws(APIError) {
        let start = try StreamStart(request)
        guard !hub.isStopped else { throw APIError.unavailable("The server is shutting down.") }
        return Response(
          status: .ok,
          headers: [
            "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
          ],
          body: .stream { writer in try await stream(to: writer, from: start, hub: hub) })
      } catch {
        return error.response
      }
    }
  }

  /// Writes the stream until the client leaves, falls too far behind, or the hub stops.
  static func stream(to writer: any ResponseBodyWriter, from start: StreamStart, hub: EventHub) async throws {
    var position: Int64
    switch start {
    case .after(let seq): position = seq
    case .latest(let backlog): position = max(0, try await hub.store.lastEventSeq() - Int64(backlog))
    }
    try await writer.write(ServerSentEvents.opening(retryMilliseconds: retryMilliseconds, position: position))
    while true {
      let page = try await hub.store.events(after: position, limit: EventHub.pageSize)
      if let last = page.last {
        try await writer.write(page.flatMap(ServerSentEvents.frame))
        position = last.seq
      }
      if page.count < EventHub.pageSize { break }
    }
    guard let subscription = hub.subscribe(after: position) else { return }
    defer { hub.unsubscribe(subscription) }
    while true {
      switch await subscription.next() {
      case .events(let events):
        try await writer.write(events.flatMap(ServerSentEvents.frame))
      case .heartbeat:
        try await writer.write(ServerSentEvents.heartbeat)
      case .ended(.tooFarBehind):
        try? await writer.write(ServerSentEvents.tooFarBehind(limit: subscription.limit))
        return
      case .ended(.shutdown):
        return
      }
    }
  }
}

/// Where a stream starts: after a known event, or at the newest event less a backlog.
enum StreamStart: Sendable, Hashable {
  case after(Int64)
  case latest(backlog: Int)

  /// From `Last-Event-ID` (header first, then `last_event_id`) and `backlog`; 400 when any given one is
  /// malformed.
  init(_ request: Request) throws(APIError) {
    let header = try Self.seq(request.headers["Last-Event-ID"], name: "header:Last-Event-ID")
    let query = try Self.seq(request.queryValue("last_event_id"), name: "query:last_event_id")
    var backlog = 0
    if let text = request.queryValue("backlog") {
      let maximum = EventStreamRoutes.maximumBacklog
      guard text.utf8.count <= 4, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let count = Int(text),
        count <= maximum
      else {
        throw .badRequest(
          "backlog must be an integer from 0 to \(maximum).",
          errors: [FieldError("query:backlog", "Not an integer from 0 to \(maximum).")])
      }
      backlog = count
    }
    if let seq = header ?? query {
      self = .after(seq)
    } else {
      self = .latest(backlog: backlog)
    }
  }

  /// An event id: 1 to 18 decimal digits.
  private static func seq(_ text: String?, name: String) throws(APIError) -> Int64? {
    guard let text else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard (1...18).contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let seq = Int64(trimmed)
    else {
      throw .badRequest(
        "Last-Event-ID (or last_event_id) must be the id of an event this stream sent (1 to 18 digits), not "
          + "\"\(trimmed.prefix(40))\".",
        errors: [FieldError(name, "Not 1 to 18 decimal digits.")])
    }
    return seq
  }
}
