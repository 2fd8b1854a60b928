import Foundation

/// One problem in a configuration file: where it is (1-based line and column) and a plain sentence.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
  /// 1-based line.
  public var line: Int
  /// 1-based column.
  public var column: Int
  /// A plain sentence.
  public var message: String
  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }
  /// `line:column: message`, the form `switchboard validate` prints after the file name.
  public var description: String { "\(line):\(column): \(message)" }
}

/// Why a configuration could not be loaded: every problem found, not just the first.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file, as given.
  public var path: String
  /// Every problem, in file order.
  public var problems: [ConfigProblem]
  public init(path: String, problems: [ConfigProblem]) {
    self.path = path
    self.problems = problems
  }
  /// One line per problem: `path:line:column: message`.
  public var description: String {
    problems.map { "\(path):\($0)" }.joined(separator: "\n")
  }
}
