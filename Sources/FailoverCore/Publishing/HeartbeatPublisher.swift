import Foundation

/// What became of one heartbeat.
public enum HeartbeatOutcome: Sendable, Equatable {
  /// CloudWatch accepted it.
  case published
  /// This node is not the leader: the leader publishes, so the cluster's heartbeat stays one series.
  case skippedAsFollower
  /// The publication failed (the next one is tried on schedule); the sentence says why.
  case failed(String)
}

/// Told of each heartbeat's outcome (the Prometheus counters, the log).
public protocol HeartbeatObserver: Sendable {
  /// Called once per tick with what happened.
  func heartbeat(_ outcome: HeartbeatOutcome)
}

/// Publishes the cluster's heartbeat (`Heartbeat.datum`) every `interval` while this node leads, so a CloudWatch
/// alarm treating missing data as breaching tells someone when every node has stopped.
public struct HeartbeatPublisher: Sendable {
  /// Where the heartbeat goes (CloudWatch).
  public var metrics: any MetricsProvider
  /// The `Cluster` dimension (`cluster.name`).
  public var cluster: String
  /// Seconds between heartbeats (`cluster.heartbeat_interval`).
  public var interval: TimeInterval
  /// Whether this node leads now (always true for a single node).
  public var isLeader: @Sendable () -> Bool
  /// The source of each heartbeat's timestamp.
  public var clock: any Clock
  /// Waits between heartbeats.
  public var sleeper: any Sleeper
  /// Told of every outcome.
  public var observer: (any HeartbeatObserver)?

  /// A publisher of `cluster`'s heartbeat every `interval` seconds; a single node by default (always leader).
  public init(
    metrics: any MetricsProvider, cluster: String, interval: TimeInterval,
    isLeader: @escaping @Sendable () -> Bool = { true }, clock: any Clock = SystemClock(),
    sleeper: any Sleeper = TaskSleeper(), observer: (any HeartbeatObserver)? = nil
  ) {
    self.metrics = metrics
    self.cluster = cluster
    self.interval = interval
    self.isLeader = isLeader
    self.clock = clock
    self.sleeper = sleeper
    self.observer = observer
  }

  /// One tick: publishes a heartbeat when this node leads; never throws (a failure is an outcome).
  @discardableResult
  public func beat() async -> HeartbeatOutcome {
    let outcome: HeartbeatOutcome
    if !isLeader() {
      outcome = .skippedAsFollower
    } else {
      do {
        try await metrics.publish(
          namespace: Heartbeat.namespace, [Heartbeat.datum(cluster: cluster, at: clock.now)])
        outcome = .published
      } catch {
        outcome = .failed("\(error)")
      }
    }
    observer?.heartbeat(outcome)
    return outcome
  }

  /// Beats at once, then every `interval`, until the task is cancelled (or `maxBeats` ticks, for tests).
  public func run(maxBeats: Int = .max) async {
    var beats = 0
    while !Task.isCancelled && beats < maxBeats {
      await beat()
      beats += 1
      guard beats < maxBeats else { return }
      do { try await sleeper.sleep(seconds: interval) } catch { return }
    }
  }
}
