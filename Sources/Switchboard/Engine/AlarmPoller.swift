import Configuration
import FailoverCore
import Foundation

/// Reads every CloudWatch alarm and Route53 health-check signal on a timer and drops the verdicts in the engine's
/// inbox, exactly as the probes drop theirs; the next tick counts them. Signals that nothing polls get one
/// observation saying why they stay unknown, instead of "not reported yet".
struct AlarmPoller: Sendable {
  /// CloudWatch alarm states, when configured.
  let alarms: (any AlarmSource)?
  /// Route53 health-check status, when configured.
  let healthChecks: (any HealthCheckStatusSource)?
  /// Seconds between two polls; nil never polls.
  let interval: Double?
  let clock: any Clock
  let inbox: ObservationInbox
  /// The configuration in force (it changes at reloads); nil once the engine is gone.
  let configuration: @Sendable () async -> SwitchboardConfig?

  /// Whether `run` has anything to poll.
  var polls: Bool { interval != nil && (alarms != nil || healthChecks != nil) }

  /// Polls every `interval` until cancelled (or the engine is gone).
  func run() async {
    guard let interval, polls else { return }
    while !Task.isCancelled {
      guard let config = await configuration() else { return }
      await poll(config)
      try? await Task.sleep(nanoseconds: UInt64(max(1, interval) * 1e9))
    }
  }

  /// Reads every alarm and health-check signal of `config` once and queues the observations for the next tick.
  /// A source that cannot be read yields "unknown" observations that keep each signal's last verdict.
  func poll(_ config: SwitchboardConfig) async {
    let now = clock.now
    var alarmSignals: [(SignalKey, AlarmSignalSpec)] = []
    var checkSignals: [(SignalKey, String)] = []
    for (key, spec) in HealthModel.allSignals(services: config.services, regions: config.regions) {
      switch spec {
      case .cloudWatchAlarm(let alarm): alarmSignals.append((key, alarm))
      case .route53HealthCheck(let id): checkSignals.append((key, id))
      case .httpProbe: break
      }
    }
    if let alarms, !alarmSignals.isEmpty {
      do {
        let names = Array(Set(alarmSignals.map(\.1.alarmName))).sorted()
        let readings = try await alarms.alarmStates(names: names)
        for (key, spec) in alarmSignals {
          inbox.append(AlarmVerdict.observe(readings[spec.alarmName], spec: spec, key: key, at: now))
        }
      } catch {
        for (key, _) in alarmSignals {
          inbox.append(
            unread(key, "CloudWatch could not be read (\(error)); the last verdict is kept.", at: now))
        }
      }
    }
    if let healthChecks {
      for (key, id) in checkSignals {
        do {
          inbox.append(
            AlarmVerdict.observe(try await healthChecks.healthCheckVerdict(id: id), key: key, at: now))
        } catch {
          inbox.append(
            unread(key, "Route53 could not be read (\(error)); the last verdict is kept.", at: now))
        }
      }
    }
  }

  /// Queues, for each alarm and health-check signal of `config` that no source polls, why it stays unknown.
  func explainUnpolled(_ config: SwitchboardConfig) {
    let now = clock.now
    for (key, spec) in HealthModel.allSignals(services: config.services, regions: config.regions) {
      switch spec {
      case .cloudWatchAlarm where alarms == nil || interval == nil:
        inbox.append(
          Observation(
            signal: key, status: .unknown, reason: "not polled: no alarm source is configured.", at: now))
      case .route53HealthCheck where healthChecks == nil || interval == nil:
        inbox.append(
          Observation(
            signal: key, status: .unknown, reason: "not polled: no health-check source is configured.",
            at: now))
      default:
        break
      }
    }
  }

  private func unread(_ key: SignalKey, _ reason: String, at now: Date) -> Observation {
    Observation(signal: key, status: .unknown, reason: reason, at: now, keepsLastVerdict: true)
  }
}
