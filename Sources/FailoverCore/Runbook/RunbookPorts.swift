/// What runbook steps talk to: ECS (`ecs_scale`), RDS (`database_promote`), hook receivers (`http_hook`), and the
/// workflow history (a failback's `ecs_scale` reads the count recorded before the failover).
public struct RunbookPorts: Sendable {
  /// ECS in production.
  public var capacity: (any CapacityProvider)?
  /// RDS in production.
  public var databases: (any DatabasePromoter)?
  /// The HTTP hook caller.
  public var hooks: (any HookCaller)?
  /// Earlier workflows (the store).
  public var history: (any WorkflowQueries)?

  public init(
    capacity: (any CapacityProvider)? = nil, databases: (any DatabasePromoter)? = nil,
    hooks: (any HookCaller)? = nil, history: (any WorkflowQueries)? = nil
  ) {
    self.capacity = capacity
    self.databases = databases
    self.hooks = hooks
    self.history = history
  }
}
