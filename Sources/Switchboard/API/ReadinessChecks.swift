import FailoverCore
import Foundation
import HTTPServer
import Synchronization

/// `GET /readyz`: the store answers, the engine's loop is ticking, and AWS answers (checked at most every 15 s).
public final class ReadinessChecks: Sendable {
  /// One check's verdict.
  public struct Check: Sendable, Hashable, Encodable {
    public var name: String
    public var ok: Bool
    public var detail: String
  }

  struct Report: Encodable {
    var ready: Bool
    var checks: [Check]
  }

  private let engine: Engine
  private let store: any EventQueries
  private let clock: any FailoverCore.Clock
  private let awsProbe: (@Sendable () async throws -> Void)?
  private let cachedAWS = Mutex<(at: Date, check: Check)?>(nil)
  /// How long an AWS verdict is reused.
  public static let awsCacheSeconds: Double = 15

  /// `awsProbe` makes one cheap AWS call (nil when nothing in the configuration needs AWS).
  public init(
    engine: Engine, store: any EventQueries, clock: any FailoverCore.Clock = SystemClock(),
    awsProbe: (@Sendable () async throws -> Void)?
  ) {
    self.engine = engine
    self.store = store
    self.clock = clock
    self.awsProbe = awsProbe
  }

  /// Runs every check.
  public func run() async -> [Check] {
    var checks: [Check] = []
    do {
      let seq = try await store.lastEventSeq()
      checks.append(
        Check(name: "store", ok: true, detail: "The store answers; the audit log holds \(seq) events."))
    } catch {
      checks.append(Check(name: "store", ok: false, detail: "The store does not answer: \(error)"))
    }
    let (lastTick, interval, started) = await engine.tickStatus()
    let now = clock.now
    if !started {
      checks.append(Check(name: "engine", ok: false, detail: "The engine has not started."))
    } else if let lastTick, now.timeIntervalSince(lastTick) <= max(5, interval * 5) {
      checks.append(
        Check(
          name: "engine", ok: true,
          detail: "The engine ticked \(Int((now.timeIntervalSince(lastTick) * 1000).rounded())) ms ago."))
    } else {
      let since =
        lastTick.map { "its last tick was \(Int(now.timeIntervalSince($0))) s ago" }
        ?? "it has not ticked yet"
      checks.append(Check(name: "engine", ok: false, detail: "The engine loop is not ticking: \(since)."))
    }
    checks.append(await aws(now: now))
    return checks
  }

  private func aws(now: Date) async -> Check {
    guard let awsProbe else {
      return Check(name: "aws", ok: true, detail: "Nothing in the configuration calls AWS.")
    }
    if let cached = cachedAWS.withLock({ $0 }), now.timeIntervalSince(cached.at) < Self.awsCacheSeconds {
      return cached.check
    }
    let check: Check
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await awsProbe() }
        group.addTask {
          try await Task.sleep(for: .seconds(5))
          throw ReadinessTimeout()
        }
        try await group.next()
        group.cancelAll()
      }
      check = Check(name: "aws", ok: true, detail: "Route53 answers.")
    } catch {
      check = Check(name: "aws", ok: false, detail: "Route53 does not answer: \(error)")
    }
    cachedAWS.withLock { $0 = (now, check) }
    return check
  }

  /// Registers `GET /readyz` (public, like /healthz: orchestrators probe it without a token).
  public func register(in router: inout Router) {
    router.get(
      "/readyz",
      async: { _ in
        let checks = await self.run()
        let ready = checks.allSatisfy(\.ok)
        return APIJSON.response(
          Report(ready: ready, checks: checks), status: ready ? .ok : .serviceUnavailable)
      })
  }
}

/// The AWS probe took longer than 5 s.
struct ReadinessTimeout: Error, CustomStringConvertible {
  var description: String { "no answer within 5 s" }
}
