/// How a drill runs: `dry-run` computes and records the plan, the checks and the predicted times and touches
/// nothing; `live` moves traffic through the journaled workflow, holds, then fails back.
public enum DrillMode: String, Sendable, Hashable, Codable, CaseIterable {
  case dryRun = "dry-run"
  case live
}
