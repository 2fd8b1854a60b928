/// Where a drill (or one of its runs) stands: scheduled → running → succeeded | failed | aborted | cancelled |
/// skipped. A recurring drill stays `scheduled` between runs; each run ends in its own state.
public enum DrillState: String, Sendable, Hashable, Codable, CaseIterable {
  case scheduled
  case running
  case succeeded
  case failed
  case aborted
  case cancelled
  case skipped

  /// Whether nothing more happens in this state.
  public var isFinal: Bool { self != .scheduled && self != .running }
}

/// Where a live run is within its workflow: moving out, holding, moving back, or done.
public enum DrillPhase: String, Sendable, Hashable, Codable {
  case failingOver = "failing_over"
  case holding
  case failingBack = "failing_back"
  case done
}
