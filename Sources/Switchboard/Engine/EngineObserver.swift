import FailoverCore

/// Told, synchronously and exactly once, about what the engine finishes: each workflow as it ends and each probe
/// observation as it arrives (metrics). Called from the engine's actor or a probe lane's queue: keep it short.
public protocol EngineObserver: Sendable {
  /// A workflow ended (succeeded, failed, or interrupted by a stop), with its start, end and timings.
  func workflowFinished(_ workflow: WorkflowStatus)
  /// A periodic HTTP probe produced an observation (its latency, when it got an answer).
  func probeObserved(_ observation: Observation)
}
