/// Why a call to etcd failed.
public enum EtcdError: Error, Sendable, CustomStringConvertible {
  /// No member answered: each endpoint with why (refused, timed out, no leader…).
  case unavailable([String])
  /// A member answered with an error (gRPC code and message), e.g. a missing lease or a permission problem.
  case rejected(code: Int, message: String)
  /// The answer could not be read.
  case malformed(String)
  /// A fenced write was refused: this node does not (or no longer) hold leadership.
  case notLeader(String)

  public var description: String {
    switch self {
    case .unavailable(let reasons):
      return "No etcd member answered (\(reasons.joined(separator: "; ")))."
    case .rejected(let code, let message): return "etcd refused the request (code \(code)): \(message)"
    case .malformed(let detail): return "etcd's answer could not be read: \(detail)"
    case .notLeader(let detail): return "Not the leader: \(detail)"
    }
  }
}
