import Synchronization

/// Recent responses by query (every byte but the id) and transport, valid while the zones do not change: a
/// repeated question is answered by copying bytes instead of parsing, resolving and serializing again.
final class ResponseCache: Sendable {
  /// At most this many responses are kept; when full, the cache starts over.
  static let capacity = 10_000

  private struct Entry {
    var generation: UInt64
    var response: [UInt8]
  }

  private let entries = Mutex<[[UInt8]: Entry]>([:])

  /// The cached response to `query` at the zones' `generation`, with the query's id.
  func response(to query: [UInt8], key: [UInt8], generation: UInt64) -> [UInt8]? {
    guard
      var response = entries.withLock({ $0[key] }).flatMap({ $0.generation == generation ? $0.response : nil }
      )
    else { return nil }
    response[0] = query[0]
    response[1] = query[1]
    return response
  }

  /// Keeps a response computed at `generation`.
  func store(_ response: [UInt8], key: [UInt8], generation: UInt64) {
    entries.withLock { entries in
      if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
      entries[key] = Entry(generation: generation, response: response)
    }
  }

  /// The cache key of a query: its bytes after the id, and the transport.
  static func key(_ query: [UInt8], overTCP: Bool) -> [UInt8] {
    var key = Array(query[2...])
    key.append(overTCP ? 1 : 0)
    return key
  }
}
