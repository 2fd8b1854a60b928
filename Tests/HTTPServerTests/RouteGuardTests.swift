import Synchronization
import Testing

@testable import HTTPServer

/// A route's declared guard, checked once before its handler, on both protocols and in process.
@Suite("Route guards")
struct RouteGuardTests {
  /// Lets a request through only with `X-Key: open`; counts its checks and the handler's runs.
  final class Counters: Sendable {
    let checks = Atomic<Int>(0)
    let handled = Atomic<Int>(0)

    var keyGuard: RouteGuard {
      RouteGuard("key") { request in
        self.checks.add(1, ordering: .relaxed)
        if request.headers["X-Key"] == "open" { return nil }
        return ProblemDetails(status: .forbidden, detail: "This route needs X-Key: open.").response
      }
    }
  }

  func router(_ counters: Counters) -> Router {
    var router = Router()
    router.on(.GET, "/sync", guard: counters.keyGuard) { _ in
      counters.handled.add(1, ordering: .relaxed)
      return .text("sync")
    }
    router.on(.POST, "/async", guard: counters.keyGuard) { _ async in
      counters.handled.add(1, ordering: .relaxed)
      return .text("async")
    }
    router.get("/open") { _ in .text("open") }
    return router
  }

  @Test("Given a guarded route, when the guard refuses, then its answer is sent and the handler never runs")
  func refusal() async {
    let counters = Counters()
    let dispatcher = RequestDispatcher(router: router(counters))
    let refused = await dispatcher.response(to: Request(method: .GET, target: "/sync"))
    #expect(refused.status == .forbidden)
    let refusedAsync = await dispatcher.response(to: Request(method: .POST, target: "/async"))
    #expect(refusedAsync.status == .forbidden)
    #expect(counters.handled.load(ordering: .relaxed) == 0)
    #expect(counters.checks.load(ordering: .relaxed) == 2)
  }

  @Test("Given a guarded route, when the guard lets the request through, then it is checked once and handled")
  func passage() async {
    let counters = Counters()
    let dispatcher = RequestDispatcher(router: router(counters))
    let through = await dispatcher.response(
      to: Request(method: .POST, target: "/async", headers: ["X-Key": "open"]))
    #expect(through.status == .ok)
    #expect(counters.checks.load(ordering: .relaxed) == 1)
    #expect(counters.handled.load(ordering: .relaxed) == 1)
  }

  @Test("Given a guarded GET, a HEAD request passes the same guard; OPTIONS and 404 need no guard")
  func headAndBuiltIns() async {
    let counters = Counters()
    let dispatcher = RequestDispatcher(router: router(counters))
    #expect(await dispatcher.response(to: Request(method: .HEAD, target: "/sync")).status == .forbidden)
    let options = await dispatcher.response(to: Request(method: .OPTIONS, target: "/sync"))
    #expect(options.status == .noContent)
    #expect(options.headers["Allow"] == "GET, HEAD, OPTIONS")
    #expect(await dispatcher.response(to: Request(method: .GET, target: "/nowhere")).status == .notFound)
    #expect(counters.checks.load(ordering: .relaxed) == 1)
  }

  @Test("Given a guard that leaves what it found in the attributes, then sync and async handlers read it")
  func attributesReachTheHandler() async {
    struct Caller: Sendable, Equatable { var name: String }
    let named = RouteGuard("named") { request in
      guard let name = request.headers["X-Name"] else {
        return ProblemDetails(status: .unauthorized, detail: "Say who you are.").response
      }
      request.attributes[Caller.self] = Caller(name: name)
      return nil
    }
    var router = Router()
    router.on(.GET, "/sync", guard: named) { request in .text(request.attributes[Caller.self]?.name ?? "-") }
    router.on(.POST, "/async", guard: named) { request async in
      .text(request.attributes[Caller.self]?.name ?? "-")
    }
    router.get("/open") { request in .text(request.attributes[Caller.self]?.name ?? "nobody") }
    let dispatcher = RequestDispatcher(router: router)
    for (method, target) in [(Method.GET, "/sync"), (.POST, "/async")] {
      let response = await dispatcher.response(
        to: Request(method: method, target: target, headers: ["X-Name": "ada"]))
      #expect(response.status == .ok)
      #expect(Self.text(response) == "ada", "\(method) \(target)")
    }
    let open = await dispatcher.response(
      to: Request(method: .GET, target: "/open", headers: ["X-Name": "ada"]))
    #expect(Self.text(open) == "nobody")
  }

  /// A fixed body as text.
  static func text(_ response: Response) -> String? {
    guard case .bytes(let bytes) = response.body else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test("The router lists each route with its guard's requirement")
  func listing() {
    let listed = router(Counters()).guardedRoutes.map {
      "\($0.method.rawValue) \($0.pattern) \($0.requirement ?? "-")"
    }
    #expect(listed == ["POST /async key", "GET /open -", "GET /sync key"])
  }

  @Test("Given a guarded route on a real server, HTTP/1.1 and HTTP/2 both get the guard's answer")
  func bothProtocols() async throws {
    let counters = Counters()
    let running = try RunningServer(router: router(counters))
    defer { Task { await running.stop() } }
    for protocolFlag in ["--http1.1", "--http2-prior-knowledge"] {
      let refused = try await curl([protocolFlag, "-s", "-w", "%{http_code}", "\(running.base)/sync"])
      #expect(refused.out.hasSuffix("403"), "\(protocolFlag): \(refused.out)")
      #expect(refused.out.contains("This route needs X-Key: open."))
      let through = try await curl([
        protocolFlag, "-s", "-X", "POST", "-H", "X-Key: open", "-w", " %{http_code}", "\(running.base)/async",
      ])
      #expect(through.out == "async 200", "\(protocolFlag): \(through.out)")
    }
    #expect(counters.handled.load(ordering: .relaxed) == 2)
    #expect(counters.checks.load(ordering: .relaxed) == 4)
  }
}
