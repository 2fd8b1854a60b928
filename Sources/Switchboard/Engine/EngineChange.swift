import FailoverCore

/// Something that changed in the engine, for SSE streams and cache invalidation.
public enum EngineChange: Sendable, Hashable {
  /// A service's composite health in a region changed status.
  case health(service: ServiceID, region: RegionID, status: HealthStatus)
  /// A decision other than "nothing to do" was recorded for a service.
  case decision(service: ServiceID)
  /// A workflow began (or resumed) for a service.
  case workflowStarted(service: ServiceID, workflowID: String)
  /// A workflow ended; `succeeded` is false for a failure or an interruption.
  case workflowFinished(service: ServiceID, workflowID: String, succeeded: Bool)
  /// A service's traffic moved.
  case routing(service: ServiceID)
  /// An override was created, cleared or expired.
  case overrides
  /// The configuration was reloaded.
  case configuration
}
