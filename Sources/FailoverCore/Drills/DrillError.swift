/// A drill or schedule that cannot be accepted, with a sentence a person can act on.
public struct DrillError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong and how to fix it.
  public var message: String
  /// The request field concerned, when one is (a JSON pointer such as `/schedule/cron`).
  public var field: String?

  /// An error with its sentence.
  public init(_ message: String, field: String? = nil) {
    self.message = message
    self.field = field
  }

  public var description: String { message }
}
