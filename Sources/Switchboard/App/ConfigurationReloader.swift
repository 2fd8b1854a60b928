import Configuration
import FailoverCore
import Foundation
import Logging
import Synchronization

/// Re-reads the configuration file on SIGHUP or `POST /api/v1/configuration/reload`: a valid file goes to the
/// engine and the API's access control; an invalid one is refused and the running configuration stays. Both
/// outcomes are audited with who asked.
public final class ConfigurationReloader: Sendable {
  /// What a reload did.
  public enum Outcome: Sendable {
    /// Applied; `restartOnly` names the settings that changed but apply only after a restart.
    case reloaded(services: Int, restartOnly: [String])
    /// Refused: the file has problems (the running configuration stays).
    case rejected(ConfigError)
  }

  private let path: String
  private let engine: Engine
  private let access: APIAccess
  private let events: any EventLog
  private let clock: any FailoverCore.Clock
  private let running: Mutex<SwitchboardConfig>
  private let logger = Logger(label: "switchboard.reload")

  public init(
    path: String, current: SwitchboardConfig, engine: Engine, access: APIAccess, events: any EventLog,
    clock: any FailoverCore.Clock = SystemClock()
  ) {
    self.path = path
    self.engine = engine
    self.access = access
    self.events = events
    self.clock = clock
    running = Mutex(current)
  }

  /// The configuration in force.
  public var current: SwitchboardConfig { running.withLock { $0 } }

  /// Reloads the file on behalf of `actor` (a token's name, or `signal:SIGHUP`).
  public func reload(actor: String) async -> Outcome {
    let next: SwitchboardConfig
    do {
      next = try SwitchboardConfig.load(path: path)
    } catch {
      logger.error(
        "\(actor): \(path) is not valid; the running configuration stays. Problems:\n\(error.description)")
      await audit(
        Event(
          kind: .configurationRejected, scope: .global, actor: actor, at: clock.now,
          message:
            "\(actor) asked to reload \(path), which has \(error.problems.count) problem(s); the running "
            + "configuration stays.",
          details: ["problems": .array(error.problems.map { .string("\($0)") })]))
      return .rejected(error)
    }
    let restartOnly = running.withLock { previous in
      let changed = RestartOnlySettings.changed(from: previous, to: next)
      previous = next
      return changed
    }
    if !restartOnly.isEmpty {
      logger.warning(
        "\(actor): \(restartOnly.joined(separator: ", ")) changed; these take effect only after a restart.")
    }
    access.reload(tokens: next.tokens, publicStatus: next.publicStatus)
    await engine.reload(next)
    logger.info("\(actor): reloaded \(path) (\(next.services.count) service(s)).")
    var details: [String: JSONValue] = ["services": .int(next.services.count)]
    if !restartOnly.isEmpty { details["restart_only"] = .array(restartOnly.map { .string($0) }) }
    await audit(
      Event(
        kind: .configurationReloaded, scope: .global, actor: actor, at: clock.now,
        message: "\(actor) reloaded \(path): \(next.services.count) service(s).", details: details))
    return .reloaded(services: next.services.count, restartOnly: restartOnly)
  }

  private func audit(_ event: Event) async {
    do {
      try await events.append([event])
    } catch {
      logger.error("The reload's audit event could not be written: \(error)")
    }
  }
}
