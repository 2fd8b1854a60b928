/// What `AuditChain.verifyChain()` found.
public enum ChainVerification: Sendable, Hashable, CustomStringConvertible {
  /// Every event links to the one before it; `head` is the last hash (the genesis hash when empty).
  case intact(count: Int, head: String)
  /// The first link that does not hold.
  case broken(ChainBreak)

  /// Whether the chain holds.
  public var isIntact: Bool {
    if case .intact = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .intact(let count, let head): "The audit log is intact: \(count) events, head hash \(head)."
    case .broken(let link): link.description
    }
  }
}
