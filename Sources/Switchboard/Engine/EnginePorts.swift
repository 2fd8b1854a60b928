import FailoverCore

/// The outside world the engine talks to, as FailoverCore's ports: DNS, metrics, notifications, the store's
/// four faces, and optional alarm and Route53 health-check sources.
public struct EnginePorts: Sendable {
  /// Route53 in production.
  public var dns: any DNSProvider
  /// CloudWatch in production.
  public var metrics: (any MetricsProvider)?
  /// SNS or webhook in production.
  public var notifier: any Notifier
  /// Where workflows are journaled.
  public var journal: any WorkflowJournal
  /// The audit log.
  public var events: any EventLog
  /// Durable overrides.
  public var overrides: any OverrideStore
  /// Routing state and transitions.
  public var history: any RoutingHistory
  /// CloudWatch alarm states, when any signal needs them.
  public var alarms: (any AlarmSource)?
  /// Route53 health-check status, when any signal needs it.
  public var healthChecks: (any HealthCheckStatusSource)?
  /// The routing endpoint, for `failover-health-check` services.
  public var routingEndpoint: (any RoutingEndpointPublisher)?
  /// How workflows wait between retries and polls.
  public var sleeper: any Sleeper
  /// Random fractions for backoff.
  public var jitter: any JitterSource
  /// Runs the HTTP(S) probes of the signals (the HTTP prober in production); nil runs none.
  public var prober: (any Prober)? = nil
  /// Hears of finished workflows and probe observations (metrics), when set.
  public var observer: (any EngineObserver)? = nil
  /// The other cluster nodes' health views (quorum health); nil on a single node, whose own verdict decides.
  public var peerHealth: (any PeerHealthViews)? = nil
  /// Runbook steps' outside world: ECS, RDS, hooks, and earlier workflows (where a failback finds the ECS
  /// count to restore); nil ports fail the steps that need them.
  public var runbook = RunbookPorts()
  /// In a cluster, the leader election: only the leader decides and runs workflows, and it confirms before every
  /// call to the outside world; nil is a single node (always the leader).
  public var leadership: (any Leadership)? = nil

  public init(
    dns: any DNSProvider, metrics: (any MetricsProvider)?, notifier: any Notifier,
    journal: any WorkflowJournal,
    events: any EventLog, overrides: any OverrideStore, history: any RoutingHistory,
    alarms: (any AlarmSource)? = nil, healthChecks: (any HealthCheckStatusSource)? = nil,
    routingEndpoint: (any RoutingEndpointPublisher)? = nil, sleeper: any Sleeper = TaskSleeper(),
    jitter: any JitterSource = SystemJitter()
  ) {
    self.dns = dns
    self.metrics = metrics
    self.notifier = notifier
    self.journal = journal
    self.events = events
    self.overrides = overrides
    self.history = history
    self.alarms = alarms
    self.healthChecks = healthChecks
    self.routingEndpoint = routingEndpoint
    self.sleeper = sleeper
    self.jitter = jitter
  }

  /// Ports whose persistence is one store (the SQLite store implements all four protocols).
  public init(
    store: some WorkflowJournal & EventLog & OverrideStore & RoutingHistory, dns: any DNSProvider,
    metrics: (any MetricsProvider)?, notifier: any Notifier, alarms: (any AlarmSource)? = nil,
    healthChecks: (any HealthCheckStatusSource)? = nil,
    routingEndpoint: (any RoutingEndpointPublisher)? = nil,
    sleeper: any Sleeper = TaskSleeper(), jitter: any JitterSource = SystemJitter()
  ) {
    self.init(
      dns: dns, metrics: metrics, notifier: notifier, journal: store, events: store, overrides: store,
      history: store, alarms: alarms, healthChecks: healthChecks, routingEndpoint: routingEndpoint,
      sleeper: sleeper, jitter: jitter)
  }
}
