/// What a runbook step does, with the settings of its kind.
public enum RunbookAction: Sendable, Hashable, Codable {
  /// Raise the target region's ECS service's desired count and wait for steady state; after a failback,
  /// return the region traffic left to the count it had before the failover.
  case ecsScale(ECSScaleSpec)
  /// POST the workflow's context, signed, to a URL; 2xx continues.
  case httpHook(HTTPHookSpec)
  /// Pause until an operator approves or rejects (or the timeout's default outcome).
  case approval(ApprovalSpec)
  /// Promote the target region's RDS read replica (or replica cluster) and wait until it is available.
  case databasePromote(DatabasePromoteSpec)
  /// A fixed pause.
  case wait(seconds: Double)

  /// The configuration's name of the kind.
  public var kind: String {
    switch self {
    case .ecsScale: "ecs_scale"
    case .httpHook: "http_hook"
    case .approval: "approval"
    case .databasePromote: "database_promote"
    case .wait: "wait"
    }
  }

  /// The kinds, as the configuration names them.
  public static let kinds = ["ecs_scale", "http_hook", "approval", "database_promote", "wait"]

  /// One-way steps stay out of drills unless asked: a promoted replica stops replicating.
  public var defaultDrillParticipation: DrillParticipation {
    if case .databasePromote = self { return .skip }
    return .run
  }

  /// The timeout when none is configured, in seconds.
  public var defaultTimeout: Double {
    switch self {
    case .ecsScale: 600
    case .httpHook: 30
    case .approval: 3600
    case .databasePromote: 1800
    case .wait(let seconds): seconds
    }
  }

  /// Whether the step cannot be undone (failback never demotes a promoted database).
  public var isOneWay: Bool {
    if case .databasePromote = self { return true }
    return false
  }
}

/// The ECS service an `ecs_scale` step scales, and to what.
public struct ECSScaleSpec: Sendable, Hashable, Codable {
  /// The ECS cluster (same name in every region).
  public var cluster: String
  /// The ECS service in that cluster.
  public var service: String
  /// The count to raise to; nil raises to the count the failing region ran (its desired count).
  public var desiredCount: Int?

  public init(cluster: String, service: String, desiredCount: Int? = nil) {
    self.cluster = cluster
    self.service = service
    self.desiredCount = desiredCount
  }
}

/// Where an `http_hook` step posts and how it signs.
public struct HTTPHookSpec: Sendable, Hashable, Codable {
  /// The http:// or https:// URL.
  public var url: String
  /// The environment variable holding the HMAC-SHA256 key (the key itself never enters the journal).
  public var secretEnvironment: String?

  public init(url: String, secretEnvironment: String? = nil) {
    self.url = url
    self.secretEnvironment = secretEnvironment
  }
}

/// What an approval step asks and what its timeout decides.
public struct ApprovalSpec: Sendable, Hashable, Codable {
  /// The question shown to operators.
  public var message: String
  /// The outcome when nobody decided within the timeout.
  public var onTimeout: ApprovalVerdict.Decision

  public init(message: String, onTimeout: ApprovalVerdict.Decision = .reject) {
    self.message = message
    self.onTimeout = onTimeout
  }
}

/// The RDS replica a `database_promote` step promotes in the target region.
public struct DatabasePromoteSpec: Sendable, Hashable, Codable {
  /// The DB instance or cluster identifier.
  public var identifier: String
  /// A replica cluster (`PromoteReadReplicaDBCluster`) rather than an instance (`PromoteReadReplica`).
  public var isCluster: Bool

  public init(identifier: String, isCluster: Bool = false) {
    self.identifier = identifier
    self.isCluster = isCluster
  }
}
