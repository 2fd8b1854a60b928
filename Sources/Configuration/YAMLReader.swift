import Foundation
import Yams

/// Collects configuration problems while the decoder walks the YAML tree.
final class ProblemList {
  private(set) var problems: [ConfigProblem] = []
  /// Every key some mapping of the file may hold, as `services[].regions[].weight` (indices dropped): what the
  /// decoder reads, for the test that keeps `docs/configuration.md` in step with it.
  private(set) var allowedKeys: Set<String> = []

  func allow(_ keys: [String], in path: String) {
    let general = path.replacing(/\[\d+\]/, with: "[]")
    for key in keys { allowedKeys.insert(general.isEmpty ? key : "\(general).\(key)") }
  }

  func add(_ mark: Mark?, _ message: String) {
    add(line: mark?.line ?? 1, column: mark?.column ?? 1, message)
  }

  func add(line: Int, column: Int, _ message: String) {
    problems.append(ConfigProblem(line: line, column: column, message: message))
  }

  /// Problems in file order.
  var sorted: [ConfigProblem] {
    problems.enumerated().sorted {
      ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
    }.map(\.element)
  }
}

/// A YAML mapping being decoded: typed getters that report problems at the right line and column, and the
/// unknown-key check with a did-you-mean. `path` names the mapping in messages (e.g. `services[0].regions[1]`).
struct MappingReader {
  let node: Node
  let mapping: Node.Mapping
  let path: String
  let problems: ProblemList

  init?(_ node: Node, path: String, problems: ProblemList) {
    guard let mapping = node.mapping else {
      let found = SecretKeys.isSecret(path) ? SecretKeys.placeholder : Self.kind(node)
      problems.add(node.mark, "\(Self.describe(path)) must be a mapping of keys to values, not \(found).")
      return nil
    }
    self.node = node
    self.mapping = mapping
    self.path = path
    self.problems = problems
  }

  /// Reports keys outside `allowed` (with a suggestion) and keys given twice.
  func allowKeys(_ allowed: [String], hints: [String: String] = [:]) {
    problems.allow(allowed, in: path)
    var seen: Set<String> = []
    for (key, _) in mapping {
      guard let name = key.string else {
        problems.add(key.mark, "\(Self.describe(path)) has a key that is not text.")
        continue
      }
      if !seen.insert(name).inserted {
        problems.add(key.mark, "The key `\(name)` appears twice in \(Self.describe(path)).")
      }
      if allowed.contains(name) { continue }
      if let hint = hints[name] {
        problems.add(key.mark, hint)
      } else if let suggestion = Self.closest(to: name, in: allowed) {
        problems.add(
          key.mark, "Unknown key `\(name)` in \(Self.describe(path)); did you mean `\(suggestion)`?")
      } else {
        problems.add(
          key.mark,
          "Unknown key `\(name)` in \(Self.describe(path)); expected one of: \(allowed.joined(separator: ", "))."
        )
      }
    }
  }

  func value(_ key: String) -> Node? { mapping[key] }

  /// Where a key is written (its value if the key cannot be found, the mapping otherwise).
  func mark(_ key: String) -> Mark? {
    mapping.first { $0.key.string == key }?.key.mark ?? node.mark
  }

  func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func missing(_ key: String, _ what: String) {
    problems.add(node.mark, "\(Self.describe(path)) needs `\(key)`: \(what).")
  }

  func string(_ key: String, required: String? = nil) -> String? {
    guard let value = mapping[key] else {
      if let required { missing(key, required) }
      return nil
    }
    guard case .scalar(let scalar) = value, value.null == nil else {
      problems.add(value.mark, "`\(path(key))` must be text, not \(shown(value, at: key)).")
      return nil
    }
    guard !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
      problems.add(value.mark, "`\(path(key))` must not be empty.")
      return nil
    }
    return scalar.string
  }

  func int(_ key: String, in range: ClosedRange<Int>, required: String? = nil) -> Int? {
    guard let value = mapping[key] else {
      if let required { missing(key, required) }
      return nil
    }
    guard let number = value.int else {
      problems.add(value.mark, "`\(path(key))` must be a whole number, not \(shown(value, at: key)).")
      return nil
    }
    guard range.contains(number) else {
      problems.add(
        value.mark,
        "`\(path(key))` is \(number); it must be between \(range.lowerBound) and \(range.upperBound).")
      return nil
    }
    return number
  }

  func bool(_ key: String) -> Bool? {
    guard let value = mapping[key] else { return nil }
    guard let flag = value.bool else {
      problems.add(value.mark, "`\(path(key))` must be true or false, not \(shown(value, at: key)).")
      return nil
    }
    return flag
  }

  /// A duration in seconds: a number of seconds, or text like `500ms`, `30s`, `10m`, `4h`, `90d`.
  func duration(_ key: String, in range: ClosedRange<Double>) -> Double? {
    guard let value = mapping[key] else { return nil }
    guard let seconds = Self.seconds(value) else {
      problems.add(
        value.mark,
        "`\(path(key))` must be a duration such as 30, 30s, 10m, 4h or 500ms, not \(shown(value, at: key)).")
      return nil
    }
    guard range.contains(seconds) else {
      problems.add(
        value.mark,
        "`\(path(key))` is \(Self.format(seconds)); it must be between \(Self.format(range.lowerBound)) and "
          + "\(Self.format(range.upperBound)).")
      return nil
    }
    return seconds
  }

  func mappingReader(_ key: String) -> MappingReader? {
    guard let value = mapping[key], value.null == nil else { return nil }
    return MappingReader(value, path: path(key), problems: problems)
  }

  func sequence(_ key: String, required: String? = nil) -> [Node]? {
    guard let value = mapping[key], value.null == nil else {
      if let required { missing(key, required) }
      return nil
    }
    guard let items = value.sequence else {
      problems.add(value.mark, "`\(path(key))` must be a list, not \(shown(value, at: key)).")
      return nil
    }
    return Array(items)
  }

  /// How a problem names a value it refuses: quoted, unless its key may hold a secret.
  func shown(_ value: Node, at key: String) -> String {
    SecretKeys.isSecret(path(key)) ? SecretKeys.placeholder : Self.kind(value)
  }

  // MARK: Helpers

  static func seconds(_ node: Node) -> Double? {
    if let int = node.int { return Double(int) }
    if let float = node.float, node.string?.contains(where: \.isLetter) != true { return float }
    guard case .scalar(let scalar) = node else { return nil }
    let text = scalar.string.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      if let number = Double(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)),
        number.isFinite
      {
        return number * factor
      }
    }
    return nil
  }

  static func format(_ seconds: Double) -> String {
    if seconds >= 3600 && seconds.truncatingRemainder(dividingBy: 3600) == 0 {
      return "\(Int(seconds / 3600))h"
    }
    if seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
    if seconds == seconds.rounded() { return "\(Int(seconds))s" }
    return "\(Int((seconds * 1000).rounded()))ms"
  }

  static func describe(_ path: String) -> String { path.isEmpty ? "The file" : "`\(path)`" }

  static func kind(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      if node.null != nil { return "an empty value" }
      return "\"\(scalar.string)\""
    }
  }

  /// The allowed name closest to a misspelled one (edit distance at most 3, or a shared prefix).
  static func closest(to name: String, in allowed: [String]) -> String? {
    let scored = allowed.map { ($0, distance(name.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    let limit = max(2, min(3, name.count / 3))
    if best.1 <= limit { return best.0 }
    return allowed.first { $0.hasPrefix(name) || name.hasPrefix($0) }
  }

  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
