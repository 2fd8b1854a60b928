import FailoverCore
import Foundation
import Testing

/// Appending to the audit log and reading it back: order, pages, cursors, limits, filters (`EventLog`,
/// `EventQueries`).
enum EventLogConformance {
  /// A store holding 30 events, one per second from t0+1: kinds cycle started / step finished / succeeded; even
  /// seconds concern api, odd ones web.
  static func thirtyEvents(_ backend: StoreConformanceBackend) async throws -> any SwitchboardStore {
    let store = try await backend.makeStore()
    let kinds: [EventKind] = [.workflowStarted, .workflowStepFinished, .workflowSucceeded]
    try await store.append(
      (1...30).map { n in
        StoreFixture.event(
          kinds[(n - 1) % 3], scope: .service(n % 2 == 0 ? "api.example.com" : "web.example.com"),
          at: Double(n), "Event \(n).")
      })
    return store
  }

  static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "Given 30 events, when pages of 7 are read newest first, then they follow their cursors through the whole "
        + "log without overlap"
    ) { backend in
      let store = try await thirtyEvents(backend)

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
    },
    StoreConformanceCheck(
      "Given 30 events, when read oldest first after a seq, then the page and the SSE resume start right after it"
    ) { backend in
      let store = try await thirtyEvents(backend)

      let page = try await store.events(EventQuery(cursor: 10, order: .oldestFirst, limit: 5))
      let resumed = try await store.events(after: 27, limit: 1000)

      #expect(page.events.map(\.seq) == [11, 12, 13, 14, 15])
      #expect(page.nextCursor == 15)
      #expect(resumed.map(\.seq) == [28, 29, 30])
      #expect(resumed.map(\.event.message) == ["Event 28.", "Event 29.", "Event 30."])
      #expect(try await store.events(after: 30, limit: 1000).isEmpty)
      #expect(try await store.events(after: 0, limit: 4).map(\.seq) == [1, 2, 3, 4])
      #expect(try await store.lastEventSeq() == 30)
    },
    StoreConformanceCheck(
      "Given 30 events, when a page asks for fewer than one or more than 1000, then its limit is clamped to 1...1000"
    ) { backend in
      let store = try await thirtyEvents(backend)

      let none = try await store.events(EventQuery(order: .newestFirst, limit: 0))
      let all = try await store.events(EventQuery(order: .oldestFirst, limit: 5000))
      let exact = try await store.events(EventQuery(order: .oldestFirst, limit: 30))

      #expect(none.events.map(\.seq) == [30])
      #expect(none.nextCursor == 30)
      #expect(all.events.count == 30)
      #expect(all.nextCursor == nil)
      #expect(exact.nextCursor == nil)
      #expect(try await store.events(since: .distantPast, limit: 0).isEmpty)
    },
    StoreConformanceCheck(
      "Given 30 events, when filtered by kind, scope and time range, then the filters combine"
    ) { backend in
      let store = try await thirtyEvents(backend)

      let succeeded = try await store.events(EventQuery(kinds: [.workflowSucceeded], order: .oldestFirst))
      let apiStarted = try await store.events(
        EventQuery(kinds: [.workflowStarted], scope: .service("api.example.com"), order: .oldestFirst))
      let window = try await store.events(
        EventQuery(since: StoreFixture.at(5), until: StoreFixture.at(9), order: .oldestFirst))
      let protocolView = try await store.events(since: StoreFixture.at(28), limit: 10)

      #expect(succeeded.events.map(\.seq) == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30])
      #expect(apiStarted.events.map(\.seq) == [4, 10, 16, 22, 28])
      #expect(window.events.map(\.seq) == [5, 6, 7, 8])
      #expect(protocolView.map(\.message) == ["Event 28.", "Event 29.", "Event 30."])
      #expect(try await store.events(EventQuery(scope: .global)).events.isEmpty)
    },
    StoreConformanceCheck(
      "Given an event with nested details, when it is appended and read back, then it is equal, details included"
    ) { backend in
      let store = try await backend.makeStore()
      let event = Event(
        kind: .overrideCreated, scope: .region("us-east-1"), actor: "alice", at: StoreFixture.at(0.25),
        message: "Alice froze us-east-1: \"DB migration\".",
        details: ["override": "ovr-1", "nested": .object(["list": .array([1, "two", true, .null])])])

      try await store.append([event])

      #expect(try await store.events(after: 0, limit: 1000).map(\.event) == [event])
    },
    StoreConformanceCheck(
      "Given a log, when events are appended returning them as stored, then they get the next seqs, distinct ids "
        + "and hashes, as later reads show them"
    ) { backend in
      let store = try await backend.makeStore()
      try await store.append([StoreFixture.event(at: 1)])

      let stored = try await store.appendReturningStored([
        StoreFixture.event(at: 2), StoreFixture.event(at: 3),
      ])

      #expect(stored.map(\.seq) == [2, 3])
      #expect(Set(stored.map(\.id)).count == 2)
      #expect(Set(stored.map(\.hash)).count == 2)
      #expect(stored.map(\.event) == [StoreFixture.event(at: 2), StoreFixture.event(at: 3)])
      #expect(try await store.events(after: 1, limit: 10) == stored)
      #expect(try await store.appendReturningStored([]).isEmpty)
      #expect(try await store.lastEventSeq() == 3)
    },
    StoreConformanceCheck(
      "Given 16 tasks appending at once, when they are done, then the log holds every event once, without gaps, "
        + "in one valid chain"
    ) { backend in
      let store = try await backend.makeStore()
      let tasks = 16
      let appendsPerTask = 25

      try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<tasks {
          group.addTask {
            for n in 0..<appendsPerTask {
              let events = (0..<(1 + n % 3)).map {
                StoreFixture.event(at: Double(task * 1000 + n), "Task \(task) #\(n).\($0)")
              }
              try await store.append(events)
            }
          }
        }
        try await group.waitForAll()
      }

      let expected = tasks * (0..<appendsPerTask).map { 1 + $0 % 3 }.reduce(0, +)
      let all = try await store.events(after: 0, limit: 1000)
      #expect(try await store.verifyChain().isIntact)
      #expect(try await store.lastEventSeq() == Int64(expected))
      #expect(all.map(\.seq) == Array(1...Int64(expected)))
      #expect(Set(all.map(\.event.message)).count == expected)
    },
  ]
}
