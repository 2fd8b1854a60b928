import Crypto
import Foundation

/// The hash chain of the audit log: each event's hash covers the previous hash and its canonical JSON.
public enum EventChain {
  /// The `prev_hash` of the first event: 64 zeros.
  public static let genesis = String(repeating: "0", count: 64)

  /// `hex(SHA-256(previousHash + "\n" + canonicalJSON))`.
  public static func hash(previous: String, canonicalJSON: String) -> String {
    var input = Data(previous.utf8)
    input.append(0x0A)
    input.append(contentsOf: Data(canonicalJSON.utf8))
    return SHA256.hash(data: input).map { String(format: "%02x", $0) }.joined()
  }
}

/// What `SQLiteStore.verifyChain()` found.
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
