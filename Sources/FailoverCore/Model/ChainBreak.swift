/// The first broken link of the audit log: where, what was expected and what was found.
public struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
  /// The sequence number of the first event that does not verify (one past the last event for a truncated log).
  public var seq: Int64
  /// What the chain required there.
  public var expected: String
  /// What the row holds.
  public var found: String
  /// The problem, in a sentence.
  public var problem: String

  public init(seq: Int64, expected: String, found: String, problem: String) {
    self.seq = seq
    self.expected = expected
    self.found = found
    self.problem = problem
  }

  public var description: String {
    "The audit log is broken at event \(seq): \(problem) (expected \(expected), found \(found))."
  }
}
