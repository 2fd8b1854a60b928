import FailoverCore
import Switchboard
import SwitchboardApplication

extension ApplicationOptions {
  /// The composition root as unit tests drive it: a manual clock; no probes, loops, listeners, pruning or
  /// dashboard; an in-memory DNS, fake metrics and notifier, no alarm sources, instant sleeps.
  static func driven(
    clock: EngineManualClock, dns: EngineFakeDNS, storeDurability: StoreDurability = .full
  ) -> ApplicationOptions {
    ApplicationOptions(
      clock: clock, engineSettings: EngineSettings(runsProbes: false), storeDurability: storeDurability,
      runsLoops: false, listens: false, prunes: false, servesDashboard: false,
      ports: { ports in
        ports.dns = dns
        ports.metrics = EngineFakeMetrics()
        ports.notifier = EngineFakeNotifier()
        ports.alarms = nil
        ports.healthChecks = nil
        ports.sleeper = InstantSleeper()
        ports.jitter = FixedJitterSource()
      })
  }
}
