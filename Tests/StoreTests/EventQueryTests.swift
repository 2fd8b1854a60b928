import FailoverCore
import Foundation
import Store
import Testing

@Suite("Querying the audit log")
struct EventQueryTests {
  /// 30 events, one per second from t0+1: kinds cycle started / step finished / succeeded; even seconds concern
  /// api, odd ones web.
  static func store(_ folder: TemporaryFolder) async throws -> SQLiteStore {
    let store = try SQLiteStore(path: folder.path())
    let kinds: [EventKind] = [.workflowStarted, .workflowStepFinished, .workflowSucceeded]
    try await store.append(
      (1...30).map { n in
        Fixture.event(
          kinds[(n - 1) % 3], scope: .service(n % 2 == 0 ? "api.example.com" : "web.example.com"),
          at: Double(n), "Event \(n).")
      })
    return store
  }

  @Test("Newest-first pages follow their cursors through the whole log without overlap")
  func newestFirstPages() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder)

    var seen: [Int64] = []
    var cursor: Int64?
    var pages = 0
    repeat {
      let page = try await store.events(EventQuery(cursor: cursor, order: .newestFirst, limit: 7))
      seen += page.events.map(\.seq)
      cursor = page.nextCursor
      pages += 1
    } while cursor != nil && pages < 20

    #expect(seen == Array((1...30).reversed()))
    #expect(pages == 5)
  }

  @Test("Oldest-first pages and SSE resume start after the given seq")
  func oldestFirstAndResume() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder)

    let page = try await store.events(EventQuery(cursor: 10, order: .oldestFirst, limit: 5))
    let resumed = try await store.events(after: 27)

    #expect(page.events.map(\.seq) == [11, 12, 13, 14, 15])
    #expect(page.nextCursor == 15)
    #expect(resumed.map(\.seq) == [28, 29, 30])
    #expect(resumed.map(\.event.message) == ["Event 28.", "Event 29.", "Event 30."])
    #expect(try await store.events(after: 30).isEmpty)
  }

  @Test("Filters by kind, scope and time range combine")
  func filters() async throws {
    let folder = try TemporaryFolder()
    let store = try await Self.store(folder)

    let succeeded = try await store.events(EventQuery(kinds: [.workflowSucceeded], order: .oldestFirst))
    let apiStarted = try await store.events(
      EventQuery(kinds: [.workflowStarted], scope: .service("api.example.com"), order: .oldestFirst))
    let window = try await store.events(
      EventQuery(since: Fixture.at(5), until: Fixture.at(9), order: .oldestFirst))
    let protocolView = try await store.events(since: Fixture.at(28), limit: 10)

    #expect(succeeded.events.map(\.seq) == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30])
    #expect(apiStarted.events.map(\.seq) == [4, 10, 16, 22, 28])
    #expect(window.events.map(\.seq) == [5, 6, 7, 8])
    #expect(protocolView.map(\.message) == ["Event 28.", "Event 29.", "Event 30."])
    #expect(try await store.events(EventQuery(scope: .global)).events.isEmpty)
  }

  @Test("Events read back equal the events appended, details included")
  func roundTrip() async throws {
    let folder = try TemporaryFolder()
    let store = try SQLiteStore(path: folder.path())
    let event = Event(
      kind: .overrideCreated, scope: .region("us-east-1"), actor: "alice", at: Fixture.at(0.25),
      message: "Alice froze us-east-1: \"DB migration\".",
      details: ["override": "ovr-1", "nested": .object(["list": .array([1, "two", true, .null])])])

    try await store.append([event])

    #expect(try await store.events(after: 0).map(\.event) == [event])
  }
}
