/// Where a journaled workflow stands.
public enum WorkflowState: String, Sendable, Hashable, Codable {
  /// Begun and not finished: in flight, or interrupted and waiting to be resumed.
  case running
  /// Finished with `.succeeded`.
  case succeeded
  /// Finished with `.failed`.
  case failed
}
