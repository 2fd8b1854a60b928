import FailoverCore

/// The `text/event-stream` framing of the event stream (WHATWG HTML §9.2).
public enum ServerSentEvents {
  /// One event: `id: <seq>`, `event: <kind>`, `data: <Event JSON on one line>`, a blank line.
  public static func frame(_ event: StoredEvent) -> [UInt8] {
    let representation = EventRepresentation(event)
    var bytes = Array("id: \(event.seq)\nevent: \(representation.kind)\ndata: ".utf8)
    bytes += APIJSON.encode(representation)
    bytes += Array("\n\n".utf8)
    return bytes
  }

  /// The stream's opening: the reconnection delay and the position (so a client that sees no event before it
  /// reconnects still resumes from here).
  public static func opening(retryMilliseconds: Int, position: Int64) -> [UInt8] {
    Array("retry: \(retryMilliseconds)\nid: \(position)\n\n".utf8)
  }

  /// A comment line that keeps proxies and clients from timing the connection out.
  public static let heartbeat = Array(": heartbeat\n\n".utf8)

  /// The last words to a subscriber that fell too far behind.
  public static func tooFarBehind(limit: Int) -> [UInt8] {
    Array(
      ": disconnected: more than \(limit) events were waiting; reconnect with Last-Event-ID to resume\n\n"
        .utf8)
  }
}
