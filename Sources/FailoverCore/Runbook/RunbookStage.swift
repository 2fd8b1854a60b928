/// When a group of runbook steps runs inside a workflow.
public enum RunbookStage: String, Sendable, Hashable, Codable, CaseIterable {
  /// After the target's health is checked, before any DNS change: scale up, promote, ask for approval.
  case beforeTraffic = "before_traffic"
  /// After the record is verified at the target.
  case afterTraffic = "after_traffic"
  /// After traffic returned to the primary (a failback): restore capacity, tell the teams.
  case afterFailback = "after_failback"
}
