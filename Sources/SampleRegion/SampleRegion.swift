import Foundation
import HTTPServer
import Synchronization

/// The seeds' health-check function as a tiny service: `GET /health` answers 200 with
/// `{"status":"healthy",...}` or 503 with `"unhealthy"` while failing; `POST /simulate-failure`, `POST /recover`
/// and `POST /latency?ms=N` change that; `GET /` describes it. Used by demos, benchmarks and tests.
public final class SampleRegion: Sendable {
  private let state: Mutex<SampleRegionState>

  public init(_ initial: SampleRegionState) {
    state = Mutex(initial)
  }

  /// The current state.
  public var current: SampleRegionState { state.withLock { $0 } }

  /// Makes `/health` fail (true) or succeed (false), as the HTTP endpoints do.
  public func setFailing(_ failing: Bool) { state.withLock { $0.healthy = !failing } }

  /// Sets the latency added before `/health` answers.
  public func setLatency(milliseconds: Int) {
    state.withLock { $0.latencyMilliseconds = max(0, milliseconds) }
  }

  /// The routes of the service.
  public func router() -> Router {
    var router = Router()
    router.get(
      "/health",
      async: { [self] _ in
        let delay = current.latencyMilliseconds
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
        let now = current
        return SampleRegion.json(
          SampleRegion.healthDocument(now, at: Date()), status: now.healthy ? .ok : .serviceUnavailable)
      })
    router.post("/simulate-failure") { [self] _ in
      setFailing(true)
      return SampleRegion.json(stateDocument(message: "Health checks now fail with 503."))
    }
    router.post("/recover") { [self] _ in
      setFailing(false)
      return SampleRegion.json(stateDocument(message: "Health checks now succeed with 200."))
    }
    router.post("/latency") { [self] request in
      guard let text = request.queryValue("ms"), let value = Int(text), (0...600_000).contains(value) else {
        return SampleRegion.json(
          ["error": "Give the added latency as ?ms=N, N between 0 and 600000."], status: .badRequest)
      }
      setLatency(milliseconds: value)
      return SampleRegion.json(stateDocument(message: "/health now waits \(value) ms before answering."))
    }
    router.get("/") { [self] _ in
      let now = current
      return .text(
        """
        Switchboard sample region \(now.region) (version \(now.version)).
        GET  /health             200 {"status":"healthy",...} or 503 {"status":"unhealthy",...} while failing
        POST /simulate-failure   make /health fail
        POST /recover            make /health succeed again
        POST /latency?ms=N       add N ms before /health answers (now \(now.latencyMilliseconds) ms)
        State: \(now.healthy ? "healthy" : "failing").

        """)
    }
    return router
  }

  /// Starts serving on `host:port` (port 0 picks a free one); the returned server reports the bound port.
  public func start(host: String, port: Int) throws -> HTTPServer {
    let server = HTTPServer(
      configuration: ServerConfiguration(listen: [.init(host: host, port: port)]), router: router())
    try server.start()
    return server
  }

  /// The `/health` document of a state at an instant.
  public static func healthDocument(_ state: SampleRegionState, at now: Date) -> [String: String] {
    [
      "status": state.healthy ? "healthy" : "unhealthy", "region": state.region,
      "timestamp": now.formatted(.iso8601), "version": state.version,
    ]
  }

  /// What the control endpoints answer: the new state and a sentence.
  struct StateDocument: Encodable {
    var region: String
    var status: String
    var latency_ms: Int
    var message: String
  }

  private func stateDocument(message: String) -> StateDocument {
    let now = current
    return StateDocument(
      region: now.region, status: now.healthy ? "healthy" : "unhealthy", latency_ms: now.latencyMilliseconds,
      message: message)
  }

  private static func json(_ object: some Encodable, status: Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let bytes = (try? encoder.encode(object)).map(Array.init) ?? Array("{}".utf8)
    return .json(bytes, status: status)
  }
}
