import Foundation

/// How the signals of a service in a region combine into one health verdict.
public enum CompositionRule: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Healthy only when every signal is healthy; any unhealthy signal decides.
  case all
  /// Healthy when at least one signal is healthy.
  case any
  /// Healthy when at least `n` signals are healthy.
  case quorum(Int)

  /// Parses `all`, `any` or `quorum N` (N ≥ 1); nil otherwise.
  public init?(text: String) {
    let words = text.split(separator: " ").map(String.init)
    switch words.first {
    case "all" where words.count == 1: self = .all
    case "any" where words.count == 1: self = .any
    case "quorum" where words.count == 2:
      guard let n = Int(words[1]), n >= 1 else { return nil }
      self = .quorum(n)
    default: return nil
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let rule = CompositionRule(text: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "A health rule is all, any or \"quorum N\", not \"\(text)\".")
    }
    self = rule
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  public var description: String {
    switch self {
    case .all: "all"
    case .any: "any"
    case .quorum(let n): "quorum \(n)"
    }
  }
}
