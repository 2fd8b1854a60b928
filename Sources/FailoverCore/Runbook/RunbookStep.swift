/// One configured runbook step: what it does, how long it may take, how often it is tried, and what a failure
/// means for the workflow.
public struct RunbookStep: Sendable, Hashable, Codable {
  /// Unique within its stage (letters, digits, `-`, `_`); names the step in the journal and the API.
  public var name: String
  /// What the step does.
  public var action: RunbookAction
  /// The longest one attempt may take (the wait for steady state, a decision, an answer), in seconds.
  public var timeout: Double
  /// Attempts and backoff between them.
  public var retry: RetryPolicy
  /// Whether a failure stops the workflow (before any DNS change when the step runs before traffic).
  public var onFailure: RunbookFailureAction
  /// Whether the step runs in drills.
  public var inDrills: DrillParticipation
  /// An approval that only people's failovers ask for: automatic failovers skip it.
  public var manualOnly: Bool

  public init(
    name: String, action: RunbookAction, timeout: Double? = nil,
    retry: RetryPolicy = RetryPolicy(maxAttempts: 3),
    onFailure: RunbookFailureAction = .abort, inDrills: DrillParticipation? = nil, manualOnly: Bool = false
  ) {
    self.name = name
    self.action = action
    self.timeout = timeout ?? action.defaultTimeout
    self.retry = retry
    self.onFailure = onFailure
    self.inDrills = inDrills ?? action.defaultDrillParticipation
    self.manualOnly = manualOnly
  }
}

/// What a runbook step's failure (after its retries) does to the workflow.
public enum RunbookFailureAction: String, Sendable, Hashable, Codable, CaseIterable {
  /// The workflow fails; before traffic, no DNS change is made.
  case abort
  /// The failure is journaled and the workflow goes on.
  case `continue`
}

/// Whether a runbook step runs when the workflow is a drill.
public enum DrillParticipation: String, Sendable, Hashable, Codable, CaseIterable {
  /// The step runs in drills as in real failovers.
  case run
  /// The step is skipped in drills, and the drill's report says so.
  case skip
}
