import FailoverCore
import Foundation
import HTTPServer
import Synchronization

/// `GET /readyz`: the store answers, the engine's loop is ticking, and each AWS service the configuration uses
/// answers (checked at most every 15 s): Route53 when some service's records or health checks are there,
/// CloudWatch when some signal is an alarm; no AWS check at all when nothing calls AWS.
public final class ReadinessChecks: Sendable {
  /// One check's verdict.
  public struct Check: Sendable, Hashable, Encodable {
    public var name: String
    public var ok: Bool
    public var detail: String
  }

  /// An outside service the configuration depends on, and one cheap call that shows it answers.
  public struct Dependency: Sendable {
    /// The check's name (`route53`, `cloudwatch`).
    public var name: String
    /// The service as people call it (`Route53`, `CloudWatch`).
    public var title: String
    /// The call; it throws when the service does not answer or refuses.
    public var probe: @Sendable () async throws -> Void
    public init(name: String, title: String, probe: @escaping @Sendable () async throws -> Void) {
      self.name = name
      self.title = title
      self.probe = probe
    }
  }

  struct Report: Encodable {
    var ready: Bool
    /// `leader`, `follower` or `degraded` (a single node is always `leader`).
    var role: String
    var checks: [Check]
  }

  private let engine: Engine
  private let store: any EventQueries
  private let clock: any FailoverCore.Clock
  private let dependencies: [Dependency]
  private let cached = Mutex<[String: (at: Date, check: Check)]>([:])
  /// How long a dependency's verdict is reused.
  public static let awsCacheSeconds: Double = 15

  /// `dependencies`: the outside services to check (none when nothing in the configuration needs one).
  public init(
    engine: Engine, store: any EventQueries, clock: any FailoverCore.Clock = SystemClock(),
    dependencies: [Dependency]
  ) {
    self.engine = engine
    self.store = store
    self.clock = clock
    self.dependencies = dependencies
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
    if let leadership = engine.leadership {
      // Followers are ready (they serve reads and forward mutations); a node cut off from etcd is not.
      let status = leadership.status()
      checks.append(
        Check(
          name: "cluster", ok: status.role != .degraded, detail: "\(status.role.rawValue): \(status.detail)"))
    }
    if dependencies.isEmpty {
      checks.append(Check(name: "aws", ok: true, detail: "Nothing in the configuration calls AWS."))
    }
    for dependency in dependencies { checks.append(await check(dependency, now: now)) }
    return checks
  }

  private func check(_ dependency: Dependency, now: Date) async -> Check {
    if let hit = cached.withLock({ $0[dependency.name] }),
      now.timeIntervalSince(hit.at) < Self.awsCacheSeconds
    {
      return hit.check
    }
    let check: Check
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await dependency.probe() }
        group.addTask {
          try await Task.sleep(for: .seconds(5))
          throw ReadinessTimeout()
        }
        try await group.next()
        group.cancelAll()
      }
      check = Check(name: dependency.name, ok: true, detail: "\(dependency.title) answers.")
    } catch {
      check = Check(name: dependency.name, ok: false, detail: "\(dependency.title) does not answer: \(error)")
    }
    cached.withLock { $0[dependency.name] = (now, check) }
    return check
  }

  /// Registers `GET /readyz` (public, like /healthz: orchestrators probe it without a token).
  public func register(in router: inout Router) {
    router.on(
      .GET, "/readyz", guard: RouteRole.anyoneGuard,
      async: { _ in
        let checks = await self.run()
        let ready = checks.allSatisfy(\.ok)
        let role = self.engine.leadership?.status().role ?? .leader
        return APIJSON.response(
          Report(ready: ready, role: role.rawValue, checks: checks), status: ready ? .ok : .serviceUnavailable
        )
      })
  }
}

/// The AWS probe took longer than 5 s.
struct ReadinessTimeout: Error, CustomStringConvertible {
  var description: String { "no answer within 5 s" }
}
