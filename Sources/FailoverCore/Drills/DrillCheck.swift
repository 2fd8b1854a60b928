import Foundation

/// One guard-rail check as seen at an instant: which, whether it passed, and what was seen.
public struct DrillCheck: Sendable, Hashable, Codable {
  /// What was checked: `alarm:NAME`, `target_health`, `freeze`, `already_failed_over`, `other_drill`,
  /// `workflow_in_flight`, `calendar`, `operator_abort`.
  public var name: String
  /// Whether it allowed the drill to go on.
  public var passed: Bool
  /// What was seen, in a sentence.
  public var detail: String
  /// When.
  public var at: Date

  /// A check.
  public init(name: String, passed: Bool, detail: String, at: Date) {
    self.name = name
    self.passed = passed
    self.detail = detail
    self.at = at
  }
}
