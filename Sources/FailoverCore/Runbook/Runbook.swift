/// A service's recovery runbook: the steps that run inside each failover workflow, per stage.
public struct Runbook: Sendable, Hashable, Codable {
  /// Steps run before traffic moves.
  public var beforeTraffic: [RunbookStep]
  /// Steps run after traffic moved and the record was verified.
  public var afterTraffic: [RunbookStep]
  /// Steps run after traffic returned to the primary.
  public var afterFailback: [RunbookStep]

  public init(
    beforeTraffic: [RunbookStep] = [], afterTraffic: [RunbookStep] = [], afterFailback: [RunbookStep] = []
  ) {
    self.beforeTraffic = beforeTraffic
    self.afterTraffic = afterTraffic
    self.afterFailback = afterFailback
  }

  /// The steps of one stage, in order.
  public func steps(_ stage: RunbookStage) -> [RunbookStep] {
    switch stage {
    case .beforeTraffic: beforeTraffic
    case .afterTraffic: afterTraffic
    case .afterFailback: afterFailback
    }
  }

  /// The step a reference names, if the runbook has it.
  public func step(_ reference: RunbookStepReference) -> RunbookStep? {
    steps(reference.stage).first { $0.name == reference.name }
  }

  /// Whether there is no step at all.
  public var isEmpty: Bool { beforeTraffic.isEmpty && afterTraffic.isEmpty && afterFailback.isEmpty }
}
