import FailoverCore

/// Why the engine refused or could not carry out a request, as a sentence a person can act on.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of refusal, for mapping to HTTP statuses.
  public enum Kind: String, Sendable, Hashable {
    /// The request is invalid (bad override, unknown region...).
    case invalid
    /// The service is not configured.
    case notFound
    /// The request conflicts with something in progress (a workflow in flight).
    case conflict
    /// The store could not be read or written.
    case unavailable
  }
  /// What kind of refusal.
  public var kind: Kind
  /// The sentence to show.
  public var message: String
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }
  public var description: String { message }
}
