/// Names one runbook step of a workflow: its stage and its name, written `runbook:<stage>:<name>` in the journal.
public struct RunbookStepReference: Sendable, Hashable {
  /// When it runs.
  public var stage: RunbookStage
  /// Its configured name.
  public var name: String

  public init(stage: RunbookStage, name: String) {
    self.stage = stage
    self.name = name
  }

  /// The journal's name of the step.
  public var rawValue: String { "runbook:\(stage.rawValue):\(name)" }

  /// Reads `runbook:<stage>:<name>`.
  public init?(rawValue: String) {
    let parts = rawValue.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0] == "runbook", let stage = RunbookStage(rawValue: String(parts[1])),
      !parts[2].isEmpty
    else { return nil }
    self.init(stage: stage, name: String(parts[2]))
  }
}
