/// The code that answers a request: synchronous handlers run inline on the connection's queue (fast path
/// for cached documents); asynchronous ones run in a task and the connection waits for their response.
public enum RouteHandler: Sendable {
  case sync(@Sendable (Request) throws -> Response)
  case async(@Sendable (Request) async throws -> Response)
}
