import Foundation

/// How the signals of a service in a region combine into one health verdict.
public enum CompositionRule: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Healthy only when every signal is healthy; any unhealthy signal decides.
  case all
  /// Healthy when at least one signal is healthy.
  case any
  /// Healthy when at least `n` signals are healthy.
  case quorum(Int)

  public var description: String {
    switch self {
    case .all: "all"
    case .any: "any"
    case .quorum(let n): "quorum \(n)"
    }
  }
}
