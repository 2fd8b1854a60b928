/// Why the application could not be built or started, as a sentence a person can act on.
public struct ApplicationError: Error, Sendable, CustomStringConvertible {
  /// The sentence to show.
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
