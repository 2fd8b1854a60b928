import Configuration
import FailoverCore
import Foundation
import HTTPServer
import Switchboard
import SwitchboardApplication
import Testing

/// `GET /api/v1/events/stream` against a real in-process HTTPServer and a real SQLite store: framing, resume
/// with Last-Event-ID, backlog, heartbeats, slow subscribers, and shutdown.
@Suite("Event stream", .serialized)
struct EventStreamTests {
  struct Fixture {
    let viewer = TokenFactory.make(name: "watcher", role: .viewer)
    let store: any SwitchboardStore
    let hub: EventHub
    let server: HTTPServer
    var port: Int { server.boundAddresses[0].port }
    var authorization: [String: String] { ["Authorization": "Bearer \(viewer.token)"] }

    init(heartbeat: Duration = .milliseconds(200), bufferLimit: Int = 1024) throws {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sse-\(UUID())").path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      store = try StoreOpening.open(path: directory + "/store.sqlite", durability: .normal)
      hub = EventHub(
        store: store, pollInterval: .milliseconds(100), heartbeatInterval: heartbeat, bufferLimit: bufferLimit
      )
      hub.start()
      var router = Router()
      EventStreamRoutes.register(
        in: &router, access: APIAccess(tokens: [viewer.entry], publicStatus: true), hub: hub)
      server = HTTPServer(
        configuration: ServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)]),
        router: router)
      try server.start()
    }

    /// Appends `count` override events whose messages are `prefix-1`, `prefix-2`, ...
    func append(_ count: Int, _ prefix: String, message: String = "") async throws {
      try await store.append(
        (1...count).map { index in
          Event(
            kind: .overrideCreated, scope: .region("us-east-1"), actor: "bob", at: Date(),
            message: "\(prefix)-\(index)\(message)", details: ["n": .int(index)])
        })
    }

    func client(
      _ query: String = "", headers: [String: String] = [:], receiveBuffer: Int32? = nil, keepTail: Int? = nil
    ) throws -> SSETestClient {
      try SSETestClient(
        port: port, path: EventStreamRoutes.path + query,
        headers: authorization.merging(headers) { _, new in new },
        receiveBuffer: receiveBuffer, keepTail: keepTail)
    }

    func stop() async {
      hub.stop()
      await server.shutdown(gracePeriod: .seconds(2))
    }
  }

  @Test(
    "Given a connected stream, when events are appended, then each arrives as id, event and one-line JSON data, in order"
  )
  func liveEventsFramed() async throws {
    let fixture = try Fixture()
    try await fixture.append(2, "before")
    let client = try fixture.client()
    #expect(await client.read(for: 20) { $0.contains("retry: ") })

    try await fixture.append(3, "live")
    let arrived = await client.read(for: 20) { $0.contains("live-3") }
    await fixture.stop()

    #expect(arrived, "\(client.text)")
    let head = client.text.components(separatedBy: "\r\n\r\n")[0]
    #expect(head.contains("Content-Type: text/event-stream; charset=utf-8"))
    #expect(head.contains("Cache-Control: no-store"))
    #expect(client.events.first == ["retry: 3000", "id: 2"])
    #expect(client.eventIDs == [3, 4, 5])
    let first = try #require(client.events.first { $0.contains("id: 3") })
    #expect(first.count == 3)
    #expect(first[1] == "event: override.created")
    let json = try #require(first[2].hasPrefix("data: ") ? String(first[2].dropFirst(6)) : nil)
    let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(object["seq"] as? Int == 3)
    #expect(object["kind"] as? String == "override.created")
    #expect(object["message"] as? String == "live-1")
    #expect(object["scope"] as? String == "region:us-east-1")
    #expect((object["hash"] as? String)?.isEmpty == false)
    #expect(!client.text.contains("before-"))
  }

  @Test("Given Last-Event-ID, then the stream replays only later events, then continues live")
  func resumeWithLastEventID() async throws {
    let fixture = try Fixture()
    try await fixture.append(5, "old")
    let header = try fixture.client(headers: ["Last-Event-ID": "3"])
    let query = try fixture.client("?last_event_id=1")
    #expect(await header.read(for: 20) { $0.contains("old-5") })
    #expect(await query.read(for: 20) { $0.contains("old-5") })

    try await fixture.append(1, "new")
    let headerLive = await header.read(for: 20) { $0.contains("new-1") }
    let queryLive = await query.read(for: 20) { $0.contains("new-1") }
    await fixture.stop()

    #expect(headerLive && queryLive)
    #expect(header.eventIDs == [4, 5, 6])
    #expect(query.eventIDs == [2, 3, 4, 5, 6])
  }

  @Test("Given backlog=2, then the last two events come first; a malformed Last-Event-ID or backlog is 400")
  func backlogAndValidation() async throws {
    let fixture = try Fixture()
    try await fixture.append(4, "old")
    let client = try fixture.client("?backlog=2")
    let replayed = await client.read(for: 20) { $0.contains("old-4") }
    let base = "http://127.0.0.1:\(fixture.port)\(EventStreamRoutes.path)"
    let badHeader = try await StatusTestClient.request(
      "GET", base, headers: fixture.authorization.merging(["Last-Event-ID": "abc"]) { _, new in new })
    let negative = try await StatusTestClient.request(
      "GET", base + "?last_event_id=-1", headers: fixture.authorization)
    let badBacklog = try await StatusTestClient.request(
      "GET", base + "?backlog=5000", headers: fixture.authorization)
    let badQueryBesideGoodHeader = try await StatusTestClient.request(
      "GET", base + "?last_event_id=",
      headers: fixture.authorization.merging(["Last-Event-ID": "1"]) { _, new in new })
    let anonymous = try await StatusTestClient.request("GET", base)
    await fixture.stop()

    #expect(replayed)
    #expect(client.eventIDs == [3, 4])
    for answer in [badHeader, negative, badBacklog, badQueryBesideGoodHeader] {
      #expect(answer.status == 400)
      #expect(answer.headers["content-type"] == "application/problem+json")
    }
    #expect(anonymous.status == 401)
  }

  @Test("Given a quiet stream, then heartbeat comments arrive at the configured interval")
  func heartbeats() async throws {
    let fixture = try Fixture(heartbeat: .milliseconds(200))
    let client = try fixture.client()
    let started = Date()

    let beats = await client.read(for: 20) { $0.components(separatedBy: ": heartbeat\n\n").count > 3 }
    let elapsed = Date().timeIntervalSince(started)
    await fixture.stop()

    #expect(beats, "\(client.text)")
    #expect(elapsed >= 0.4, "three heartbeats 200 ms apart cannot come sooner: \(elapsed) s")
  }

  @Test(
    "Given a subscriber that stops reading, when it falls more than the buffer limit behind, then its stream is ended and others go on"
  )
  func slowSubscriberDisconnected() async throws {
    let fixture = try Fixture(heartbeat: .seconds(60), bufferLimit: 8)
    let slow = try fixture.client(receiveBuffer: 4096)
    let fast = try fixture.client(keepTail: 300_000)
    #expect(await slow.read(for: 20) { $0.contains("retry: ") })
    #expect(await fast.read(for: 20) { $0.contains("retry: ") })
    for _ in 0..<400 where fixture.hub.subscriberCount < 2 { try await Task.sleep(for: .milliseconds(50)) }
    #expect(fixture.hub.subscriberCount == 2)

    // 64 KiB messages: the slow client's socket buffers fill (a few MiB on loopback), its stream's writes
    // wait, and the hub's queue for it passes 8. Bounded: at most 120 rounds of 256 KiB.
    let padding = String(repeating: "x", count: 65536)
    var dropped = false
    var fastKeptUp = true
    var rounds = 0
    while !dropped, rounds < 120 {
      rounds += 1
      let marker = "round\(rounds)-4"
      try await fixture.append(4, "round\(rounds)", message: padding)
      fastKeptUp = await fast.read(for: 20) { $0.contains(marker) }
      if !fastKeptUp { break }
      dropped = fixture.hub.subscriberCount == 1
    }
    for _ in 0..<100 where !dropped {
      try await Task.sleep(for: .milliseconds(50))
      dropped = fixture.hub.subscriberCount == 1
    }
    try await fixture.append(1, "after")
    let fastGoesOn = await fast.read(for: 20) { $0.contains("after-1") }
    let slowTold = await slow.read(for: 60) { $0.contains("reconnect with Last-Event-ID") }
    await fixture.stop()

    #expect(dropped, "still subscribed after \(rounds) rounds")
    #expect(fastKeptUp && fastGoesOn)
    #expect(slowTold, "the slow stream ends with a comment saying how to resume")
  }

  @Test(
    "Given open streams, when the hub stops (server shutdown), then every stream ends and the server stops promptly"
  )
  func shutdownEndsStreams() async throws {
    let fixture = try Fixture(heartbeat: .seconds(60))
    let clients = try (0..<3).map { _ in try fixture.client() }
    for client in clients { #expect(await client.read(for: 20) { $0.contains("retry: ") }) }

    let started = Date()
    fixture.hub.stop()
    await fixture.server.shutdown(gracePeriod: .seconds(10))
    let elapsed = Date().timeIntervalSince(started)
    for client in clients { _ = await client.read(for: 5) { _ in false } }

    #expect(elapsed < 5, "\(elapsed) s")
    #expect(clients.allSatisfy { $0.isClosed })
    let refused = try? await StatusTestClient.request(
      "GET", "http://127.0.0.1:\(fixture.port)\(EventStreamRoutes.path)")
    #expect(refused == nil || refused?.status != 200)
  }
}
