import Testing

@testable import HTTPServer

@Suite("Router")
struct RouterTests {
  func router() -> Router {
    var router = Router()
    router.get("/api/v1/services") { _ in .text("list") }
    router.get("/api/v1/services/{id}") { request in .text("service \(request.parameters["id"] ?? "")") }
    router.post("/api/v1/services/{id}/failover") { request in .text("failover \(request.parameters["id"]!)")
    }
    router.get("/api/v1/services/special") { _ in .text("special") }
    router.get("/files/{path...}") { request in .text("file \(request.parameters["path"]!)") }
    return router
  }

  func handlerName(_ match: Router.Match) -> String? {
    guard case .found(let handler, let parameters, _) = match, case .sync(let function) = handler else {
      return nil
    }
    var request = Request(method: .GET, target: "/")
    request.parameters = parameters
    guard let response = try? function(request), case .bytes(let bytes) = response.body else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test("Parameters are captured and percent-decoded; literals win over parameters")
  func parameters() {
    let router = router()
    #expect(
      handlerName(router.match(.GET, path: "/api/v1/services/api.example.com")) == "service api.example.com")
    #expect(handlerName(router.match(.GET, path: "/api/v1/services/a%20b")) == "service a b")
    #expect(handlerName(router.match(.GET, path: "/api/v1/services/special")) == "special")
    #expect(handlerName(router.match(.POST, path: "/api/v1/services/x/failover")) == "failover x")
  }

  @Test("A rest capture takes the remaining path")
  func rest() {
    #expect(handlerName(router().match(.GET, path: "/files/a/b/c.js")) == "file a/b/c.js")
  }

  @Test("Unknown paths are not found; known paths with the wrong method list what is allowed")
  func notFoundAndNotAllowed() {
    let router = router()
    guard case .notFound = router.match(.GET, path: "/nope") else {
      Issue.record("expected notFound")
      return
    }
    guard case .methodNotAllowed(let allowed) = router.match(.DELETE, path: "/api/v1/services/x") else {
      Issue.record("expected methodNotAllowed")
      return
    }
    #expect(allowed == [.GET, .HEAD, .OPTIONS])
  }

  @Test("HEAD falls back to the GET handler")
  func headFallback() {
    #expect(handlerName(router().match(.HEAD, path: "/api/v1/services")) == "list")
  }

  @Test("Absolute-form targets route by their path")
  func absoluteForm() {
    #expect(RequestDispatcher.pathOfAbsoluteForm("http://example.com:80/a/b?x=1") == "/a/b")
    #expect(RequestDispatcher.pathOfAbsoluteForm("https://example.com") == "/")
    #expect(RequestDispatcher.pathOfAbsoluteForm("ftp://example.com/") == nil)
  }
}
