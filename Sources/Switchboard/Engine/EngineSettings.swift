import Configuration

/// How the engine paces itself.
public struct EngineSettings: Sendable, Hashable {
  /// Seconds between two decision rounds when the engine runs its own loop.
  public var tickInterval: Double
  /// Seconds between two polls of alarm and Route53 health-check signals; nil never polls.
  public var alarmPollInterval: Double?
  /// Whether the engine runs the HTTP probes of its signals (tests of decision timing turn this off).
  public var runsProbes: Bool
  /// Serial lanes for the HTTP prober the composition root builds; nil means one per core.
  public var probeLanes: Int?
  /// Probe connections in flight at once for that prober (`probes.max_in_flight`); nil means its default.
  public var probeMaxInFlight: Int?
  /// Whether that prober keeps connections open between checks (`probes.keep_alive`); nil means its default.
  public var probeKeepAlive: Bool?
  /// Seconds before retrying a workflow whose journal could not be written.
  public var workflowResumeRetry: Double
  /// The CloudWatch namespace of Switchboard's own metrics.
  public var metricsNamespace: String
  /// Recent observations kept per signal, replayed to rebuild a signal's verdict after a reload.
  public var observationMemory: Int

  public init(
    tickInterval: Double = 1, alarmPollInterval: Double? = AWSSettings.defaultAlarmPollInterval,
    runsProbes: Bool = true,
    probeLanes: Int? = nil,
    workflowResumeRetry: Double = 30, metricsNamespace: String = "Switchboard", observationMemory: Int = 10
  ) {
    self.tickInterval = tickInterval
    self.alarmPollInterval = alarmPollInterval
    self.runsProbes = runsProbes
    self.probeLanes = probeLanes
    self.workflowResumeRetry = workflowResumeRetry
    self.metricsNamespace = metricsNamespace
    self.observationMemory = observationMemory
  }
}

extension EngineSettings {
  /// The pace a configuration asks for (`aws.alarm_poll_interval`, `probes.max_in_flight`,
  /// `probes.keep_alive`), the rest as by default.
  public init(config: SwitchboardConfig) {
    self.init(alarmPollInterval: config.aws.alarmPollInterval)
    probeMaxInFlight = config.probeMaxInFlight
    probeKeepAlive = config.probeKeepAlive
  }
}
