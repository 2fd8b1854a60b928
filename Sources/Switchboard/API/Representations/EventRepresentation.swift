import FailoverCore
import Foundation

/// An audit event as the API shows it (`/api/v1/events`, the SSE stream): its place in the chain and its hash.
public struct EventRepresentation: Sendable, Hashable, Encodable {
  /// Position in the log (the pagination cursor and the SSE event id).
  public var seq: Int64
  /// The event id.
  public var id: String
  /// `workflow.succeeded`, `override.created`, ...
  public var kind: String
  /// `global`, `region:ID` or `service:ID`.
  public var scope: String
  /// Who caused it (a token's name, or `switchboard`).
  public var actor: String
  /// When.
  public var at: Date
  /// Sentences a person can read.
  public var message: String
  /// Machine-readable facts.
  public var details: [String: FailoverCore.JSONValue]
  /// The chain hash.
  public var hash: String

  public init(_ stored: StoredEvent) {
    seq = stored.seq
    id = stored.id
    kind = stored.event.kind.rawValue
    scope = stored.event.scope.description
    actor = stored.event.actor
    at = stored.event.at
    message = stored.event.message
    details = stored.event.details
    hash = stored.hash
  }
}
