import Configuration
import FailoverCore
import Foundation
import Logging

/// Prunes what the store would otherwise keep forever, on a schedule while serving: audit events (behind a
/// checkpoint that keeps the chain verifiable), ended workflows and old transitions, expired overrides, and
/// idempotency records past their 24 hours; then truncates the write-ahead log. The ages come from the
/// configuration in force (`retention:`), read at each pass, so a reload applies at the next one.
public struct StoreRetention: Sendable {
  /// What one pass removed.
  public struct Pass: Sendable, Hashable {
    /// Audit events pruned (0 when they did not verify; see `problem`).
    public var events = 0
    /// Ended workflows pruned (with their steps).
    public var workflows = 0
    /// Expired overrides pruned.
    public var overrides = 0
    /// Idempotency records pruned.
    public var idempotencyRecords = 0
    /// Whether the write-ahead log was truncated to zero bytes.
    public var truncatedWriteAheadLog = false
    /// The first thing that failed, in a sentence (nil when everything ran).
    public var problem: String?
  }

  private let store: any StorePruning & IdempotencyStore
  private let settings: @Sendable () -> RetentionSettings
  private let clock: any FailoverCore.Clock
  private let sleeper: any Sleeper
  private let logger = Logger(label: "switchboard.retention")

  /// Prunes `store` with the settings `settings` returns at each pass (e.g. the reloader's current ones).
  public init(
    store: any StorePruning & IdempotencyStore, clock: any FailoverCore.Clock = SystemClock(),
    sleeper: any Sleeper = TaskSleeper(),
    settings: @escaping @Sendable () -> RetentionSettings
  ) {
    self.store = store
    self.clock = clock
    self.sleeper = sleeper
    self.settings = settings
  }

  /// One pass: each kind of record is pruned on its own, so one failure does not keep the others.
  @discardableResult
  public func prune() async -> Pass {
    let now = clock.now
    let retention = settings()
    var pass = Pass()
    func attempt(_ what: String, _ body: () async throws -> Void) async {
      do { try await body() } catch {
        logger.error("Retention could not prune \(what): \(error)")
        if pass.problem == nil { pass.problem = "\(what): \(error)" }
      }
    }
    await attempt("audit events") {
      pass.events = try await store.pruneEvents(
        olderThan: now.addingTimeInterval(-retention.events), now: now)
    }
    await attempt("ended workflows") {
      pass.workflows = try await store.pruneFinishedWorkflows(
        olderThan: now.addingTimeInterval(-retention.workflows))
    }
    await attempt("expired overrides") {
      pass.overrides = try await store.pruneExpiredOverrides(
        olderThan: now.addingTimeInterval(-retention.overrides))
    }
    await attempt("idempotency records") {
      pass.idempotencyRecords = try await store.pruneIdempotency(now: now)
    }
    await attempt("the write-ahead log") {
      pass.truncatedWriteAheadLog = try await store.truncateWriteAheadLog()
    }
    let removed = pass.events + pass.workflows + pass.overrides + pass.idempotencyRecords
    if removed > 0 {
      let summary =
        "Retention pruned \(pass.events) event(s), \(pass.workflows) workflow(s), \(pass.overrides) override(s), "
        + "\(pass.idempotencyRecords) idempotency record(s)."
      logger.info("\(summary)")
    }
    return pass
  }

  /// Prunes now, then every `retention.interval` (read again after each pass) until the task is cancelled.
  public func run() async {
    while !Task.isCancelled {
      await prune()
      do { try await sleeper.sleep(seconds: max(settings().interval, 1)) } catch { return }
    }
  }
}
