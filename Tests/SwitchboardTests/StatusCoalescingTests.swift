import FailoverCore
import Foundation
import Switchboard
import SwitchboardApplication
import Synchronization
import Testing

@testable import StatusPages
@testable import Switchboard

/// When the status documents are rendered: once per burst of visible engine changes, at most a window after the
/// first, never per observation (manual clock, a sleeper the test releases; nothing sleeps).
@Suite("Status documents: coalescing")
struct StatusCoalescingTests {
  typealias Harness = EngineTests.Harness

  @Test(
    "Given a window of 0.1 s, when changes arrive at 0, 0.03 and 0.09 s, then only the first schedules a render, due at 0.1 s; after it starts, the next change opens a new window"
  )
  func burstCoalesces() {
    var coalescer = ChangeCoalescer(window: 0.1)
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    let first = coalescer.changed(at: start)
    let second = coalescer.changed(at: start.addingTimeInterval(0.03))
    let third = coalescer.changed(at: start.addingTimeInterval(0.09))
    coalescer.publishing()
    let afterRender = coalescer.changed(at: start.addingTimeInterval(0.12))

    #expect(first == start.addingTimeInterval(0.1))
    #expect(second == nil && third == nil)
    #expect(afterRender == start.addingTimeInterval(0.22))
  }

  @Test("Given a window asked for above 250 ms, then it is 250 ms (the documented bound)")
  func windowBounded() {
    #expect(ChangeCoalescer(window: 5).window == 0.25)
    #expect(ChangeCoalescer(window: -1).window == 0)
  }

  @Test("Given engine changes, then decisions are not visible on the status documents and everything else is")
  func visibleChanges() {
    #expect(!StatusPublisher.isVisible(.decision(service: "api.example.com")))
    #expect(
      StatusPublisher.isVisible(.health(service: "api.example.com", region: "us-east-1", status: .unhealthy)))
    #expect(StatusPublisher.isVisible(.routing(service: "api.example.com")))
    #expect(StatusPublisher.isVisible(.overrides))
  }

  @Test(
    "Given a started publisher, when observations change nothing shown, then nothing renders; when a burst of visible changes arrives, then one render covers it, a window after the first"
  )
  func publisherRendersOncePerBurst() async throws {
    let harness = Harness()
    try await harness.warmUp()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coalesce-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = try StoreOpening.open(path: directory + "/store.sqlite")
    let sleeper = GateSleeper()
    let publisher = StatusPublisher(clock: harness.clock, window: 0.2, sleeper: sleeper)
    await publisher.start(engine: harness.engine, store: store, interval: .seconds(3600))
    let initial = try #require(publisher.current)

    for _ in 0..<5 { await harness.round(primary: .healthy) }
    for _ in 0..<50 { await Task.yield() }
    #expect(sleeper.requested.isEmpty)
    #expect(publisher.renderCount == 1)
    await harness.round(primary: .healthy, secondary: .degraded)
    _ = try await harness.engine.createOverride(
      OverrideRequest(scope: .global, kind: .freeze, actor: "bob", reason: "deploy", duration: 600))
    try await sleeper.waitForSleepers(1)
    for _ in 0..<3 { await harness.round(primary: .healthy, secondary: .unhealthy) }
    for _ in 0..<50 { await Task.yield() }

    #expect(sleeper.requested.count == 1)
    #expect(abs((sleeper.requested.first ?? 0) - 0.2) < 0.001)
    #expect(publisher.renderCount == 1)
    sleeper.release()
    try await eventually { publisher.renderCount == 2 }
    publisher.stop()

    let rendered = try #require(publisher.current)
    #expect(rendered.status.etag != initial.status.etag)
    let text = String(decoding: rendered.status.bytes, as: UTF8.self)
    #expect(text.contains(#""reason":"deploy""#))
    #expect(text.contains(#""health":"unhealthy""#))
  }

  /// Waits (yielding, bounded) until `condition` holds.
  func eventually(_ condition: () -> Bool) async throws {
    for _ in 0..<100_000 where !condition() { await Task.yield() }
    #expect(condition())
  }
}

/// A sleeper that records what it was asked to wait and returns only when the test releases it.
final class GateSleeper: Sleeper {
  private let state = Mutex<(requested: [Double], waiting: [CheckedContinuation<Void, Never>], open: Bool)>(
    ([], [], false))

  var requested: [Double] { state.withLock { $0.requested } }

  func sleep(seconds: Double) async throws {
    await withCheckedContinuation { continuation in
      let resume = state.withLock { state -> Bool in
        state.requested.append(seconds)
        if state.open { return true }
        state.waiting.append(continuation)
        return false
      }
      if resume { continuation.resume() }
    }
  }

  /// Lets every sleeper, present and future, go on.
  func release() {
    let waiting = state.withLock { state in
      state.open = true
      defer { state.waiting = [] }
      return state.waiting
    }
    for continuation in waiting { continuation.resume() }
  }

  /// Waits (yielding, bounded) until `count` sleeps have begun.
  func waitForSleepers(_ count: Int) async throws {
    for _ in 0..<100_000 where requested.count < count { await Task.yield() }
    #expect(requested.count >= count)
  }
}
