import Configuration
import FailoverCore
import Foundation
import HTTPServer
import StatusPages
import Switchboard
import SwitchboardApplication
import Testing

/// The status documents over a real in-process HTTPServer on loopback, read with curl: ETag and 304, caching,
/// CORS on the status documents only, and access (public or viewer).
@Suite("Status routes", .serialized)
struct StatusRoutesTests {
  /// An engine over in-memory ports, a publisher fed by hand, and a server with the status routes, /healthz
  /// and the event stream.
  struct Fixture {
    let harness = EngineTests.Harness()
    let publisher = StatusPublisher()
    let viewer = TokenFactory.make(name: "watcher", role: .viewer)
    let access: APIAccess
    let store: any SwitchboardStore
    let hub: EventHub
    let server: HTTPServer
    var base: String { "http://127.0.0.1:\(server.boundAddresses[0].port)" }

    init(publicStatus: Bool) throws {
      access = APIAccess(tokens: [viewer.entry], publicStatus: publicStatus)
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID())").path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      store = try StoreOpening.open(path: directory + "/store.sqlite")
      hub = EventHub(store: store)
      var router = Router()
      CoreRoutes.register(in: &router)
      StatusRoutes.register(in: &router, access: access, publisher: publisher)
      EventStreamRoutes.register(in: &router, access: access, hub: hub)
      server = HTTPServer(
        configuration: ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
        router: router)
      try server.start()
    }

    /// Renders the engine's current state.
    func publish() async { publisher.publish(await harness.engine.snapshot(), lastFailover: nil) }

    func stop() async {
      hub.stop()
      await server.shutdown(gracePeriod: .seconds(2))
    }
  }

  @Test(
    "Given a poller holding the ETag, when it asks again with If-None-Match, then it gets 304 until the state changes"
  )
  func notModifiedUntilChange() async throws {
    let fixture = try Fixture(publicStatus: true)
    try await fixture.harness.warmUp()
    await fixture.publish()
    let url = fixture.base + "/api/v1/status"

    let first = try await StatusTestClient.request("GET", url)
    let etag = try #require(first.headers["etag"])
    var answers: [StatusTestClient.Answer] = []
    for _ in 0..<3 {
      await fixture.publish()
      answers.append(try await StatusTestClient.request("GET", url, headers: ["If-None-Match": etag]))
    }
    _ = try await fixture.harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "bob", reason: "deploy", duration: 600))
    await fixture.publish()
    let changed = try await StatusTestClient.request("GET", url, headers: ["If-None-Match": etag])
    await fixture.stop()

    #expect(first.status == 200)
    #expect(first.headers["content-type"] == "application/json")
    #expect(first.headers["cache-control"] == "public, no-cache")
    #expect(answers.map(\.status) == [304, 304, 304])
    for answer in answers {
      #expect(answer.headers["etag"] == etag)
      #expect(answer.headers["cache-control"] == "public, no-cache")
      #expect(answer.headers["access-control-allow-origin"] == "*")
      #expect(answer.body.isEmpty)
    }
    #expect(changed.status == 200)
    #expect(changed.headers["etag"] != etag)
    #expect(changed.body.contains(#""reason":"deploy""#))
  }

  @Test(
    "Given the status documents, then GET, HEAD and OPTIONS carry CORS headers; /healthz and the event stream carry none"
  )
  func corsOnlyOnStatusDocuments() async throws {
    let fixture = try Fixture(publicStatus: true)
    try await fixture.harness.warmUp()
    await fixture.publish()
    let token = "Bearer \(fixture.viewer.token)"

    var gets: [StatusTestClient.Answer] = []
    var heads: [StatusTestClient.Answer] = []
    var preflights: [StatusTestClient.Answer] = []
    for path in ["/api/v1/status", "/api/v2/status.json", "/api/v2/summary.json"] {
      gets.append(try await StatusTestClient.request("GET", fixture.base + path))
      heads.append(try await StatusTestClient.request("HEAD", fixture.base + path))
      preflights.append(
        try await StatusTestClient.request(
          "OPTIONS", fixture.base + path,
          headers: ["Origin": "https://status.example.com", "Access-Control-Request-Method": "GET"]))
    }
    let health = try await StatusTestClient.request("GET", fixture.base + "/healthz")
    let streamRefused = try await StatusTestClient.request("GET", fixture.base + "/api/v1/events/stream")
    let stream = try SSETestClient(
      port: fixture.server.boundAddresses[0].port, path: "/api/v1/events/stream",
      headers: ["Authorization": token, "Origin": "https://status.example.com"])
    let opened = await stream.read(for: 20) { $0.contains("retry: ") }
    await fixture.stop()

    for answer in gets + heads {
      #expect(answer.status == 200)
      #expect(answer.headers["access-control-allow-origin"] == "*")
      #expect(answer.headers["access-control-expose-headers"] == "ETag")
      #expect(answer.headers["etag"] != nil)
    }
    #expect(heads.allSatisfy { $0.body.isEmpty })
    #expect(gets.map { $0.headers["etag"] } == heads.map { $0.headers["etag"] })
    for answer in preflights {
      #expect(answer.status == 204)
      #expect(answer.headers["access-control-allow-origin"] == "*")
      #expect(answer.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS")
      #expect(answer.headers["access-control-allow-headers"] == "Authorization, If-None-Match")
      #expect(answer.headers["access-control-max-age"] == "600")
    }
    #expect(health.status == 200)
    #expect(health.headers.keys.allSatisfy { !$0.hasPrefix("access-control-") })
    #expect(streamRefused.status == 401)
    #expect(streamRefused.headers.keys.allSatisfy { !$0.hasPrefix("access-control-") })
    #expect(opened)
    let streamHead = stream.text.components(separatedBy: "\r\n\r\n")[0].lowercased()
    #expect(streamHead.hasPrefix("http/1.0 200") || streamHead.hasPrefix("http/1.1 200"), "\(streamHead)")
    #expect(!streamHead.contains("access-control-"))
  }

  @Test(
    "Given public_status off, then a status document needs a viewer token: none 401, a wrong one 401, a viewer's 200 (private)"
  )
  func viewerNeededWhenNotPublic() async throws {
    let fixture = try Fixture(publicStatus: false)
    try await fixture.harness.warmUp()
    await fixture.publish()
    let url = fixture.base + "/api/v2/summary.json"

    let anonymous = try await StatusTestClient.request("GET", url)
    let wrong = try await StatusTestClient.request("GET", url, headers: ["Authorization": "Bearer nope"])
    let viewer = try await StatusTestClient.request(
      "GET", url, headers: ["Authorization": "Bearer \(fixture.viewer.token)"])
    fixture.access.reload(tokens: [fixture.viewer.entry], publicStatus: true)
    let afterReload = try await StatusTestClient.request("GET", url)
    let wrongWhenPublic = try await StatusTestClient.request(
      "GET", url, headers: ["Authorization": "Bearer nope"])
    await fixture.stop()

    #expect(anonymous.status == 401)
    #expect(anonymous.headers["content-type"] == "application/problem+json")
    #expect(anonymous.headers["www-authenticate"] != nil)
    #expect(anonymous.headers["access-control-allow-origin"] == "*")
    #expect(wrong.status == 401)
    #expect(viewer.status == 200)
    #expect(viewer.headers["cache-control"] == "private, no-cache")
    #expect(afterReload.status == 200)
    #expect(afterReload.headers["cache-control"] == "public, no-cache")
    #expect(wrongWhenPublic.status == 401)
  }

  @Test("Given a publisher that has not rendered yet, then the documents answer 503 with Retry-After")
  func notRenderedYet() async throws {
    let fixture = try Fixture(publicStatus: true)

    let answer = try await StatusTestClient.request("GET", fixture.base + "/api/v2/status.json")
    await fixture.stop()

    #expect(answer.status == 503)
    #expect(answer.headers["retry-after"] == "1")
    #expect(answer.headers["content-type"] == "application/problem+json")
  }

  @Test(
    "Given a publisher started on an engine, when an override is created, then the document follows without a request-time render"
  )
  func publisherFollowsEngineChanges() async throws {
    let fixture = try Fixture(publicStatus: true)
    try await fixture.harness.warmUp()
    await fixture.publisher.start(
      engine: fixture.harness.engine, store: fixture.store, interval: .seconds(60))
    let url = fixture.base + "/api/v1/status"
    let before = try await StatusTestClient.request("GET", url)
    var readsBetween = 0
    let rendersBefore = fixture.publisher.renderCount
    for _ in 0..<20 {
      _ = try await StatusTestClient.request("GET", url)
      readsBetween += 1
    }
    let rendersAfterReads = fixture.publisher.renderCount

    _ = try await fixture.harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "bob", reason: "window", duration: 600))
    var after = before
    for _ in 0..<100 {
      after = try await StatusTestClient.request("GET", url)
      if after.headers["etag"] != before.headers["etag"] { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    fixture.publisher.stop()
    await fixture.stop()

    #expect(rendersAfterReads == rendersBefore, "\(readsBetween) reads rendered nothing")
    #expect(after.headers["etag"] != before.headers["etag"])
    #expect(after.body.contains(#""reason":"window""#))
  }
}
