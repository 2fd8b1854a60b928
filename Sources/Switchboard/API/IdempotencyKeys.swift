import Crypto
import FailoverCore
import Foundation
import HTTPServer
import Synchronization

/// `Idempotency-Key` for every POST: the first response under a key is stored (per actor, 24 h) and a retry with
/// the same key and the same request gets it again, with `Idempotent-Replayed: true`, and changes nothing.
///
/// The same key with a different request is 422; a retry while the first is still running is 409. Responses of
/// 5xx are not stored (nothing changed, so a retry should run again).
public final class IdempotencyKeys: Sendable {
  private let store: any IdempotencyStore
  private let clock: any FailoverCore.Clock
  private let running = Mutex<Set<String>>([])

  public init(store: any IdempotencyStore, clock: any FailoverCore.Clock) {
    self.store = store
    self.clock = clock
  }

  /// Runs `operation` once per key; without a key it simply runs.
  public func run(
    _ request: Request, actor: String, _ operation: () async throws -> Response
  ) async throws -> Response {
    guard let key = request.headers["Idempotency-Key"] else { return try await operation() }
    guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
      throw APIError.badRequest(
        "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).",
        errors: [FieldError("header:Idempotency-Key", "not 1 to 255 visible ASCII characters")])
    }
    let hash = Self.requestHash(request)
    let slot = "\(actor)\u{0}\(key)"
    if let earlier = try await lookup(key: key, actor: actor) {
      return try replay(earlier, hash: hash, key: key)
    }
    let claimed = running.withLock { $0.insert(slot).inserted }
    guard claimed else {
      throw APIError.conflict(
        "A request with Idempotency-Key \(key) is still being processed; retry once it has answered.",
        slug: "idempotency-in-progress")
    }
    defer { _ = running.withLock { $0.remove(slot) } }
    // A request that finished between the lookup and the claim.
    if let earlier = try await lookup(key: key, actor: actor) {
      return try replay(earlier, hash: hash, key: key)
    }
    let response = try await operation()
    guard response.status.code < 500, case .bytes(let body) = response.body else { return response }
    var headers: [String: String] = [:]
    for (name, value) in response.headers where name.lowercased() != "date" { headers[name] = value }
    let record = IdempotencyRecord(
      key: key, actor: actor, method: request.method.rawValue, path: request.path, requestHash: hash,
      status: response.status.code, headers: headers, body: Data(body), createdAt: clock.now)
    do {
      try await store.saveIdempotent(record)
    } catch {
      throw APIError.unavailable(
        "The request was carried out, but its Idempotency-Key could not be recorded (\(error)); "
          + "do not retry it blindly: read the current state first.")
    }
    return response
  }

  private func lookup(key: String, actor: String) async throws -> IdempotencyRecord? {
    do {
      return try await store.lookupIdempotent(key: key, actor: actor, now: clock.now)
    } catch {
      throw APIError.unavailable("Idempotency keys cannot be read from the store: \(error)")
    }
  }

  private func replay(_ record: IdempotencyRecord, hash: String, key: String) throws -> Response {
    guard record.requestHash == hash else {
      throw APIError.unprocessable(
        "Idempotency-Key \(key) was first used for a different request (\(record.method) \(record.path) with "
          + "another body); use a new key for a new request.")
    }
    var response = Response(status: Status(code: record.status), body: .bytes(Array(record.body)))
    for (name, value) in record.headers.sorted(by: { $0.key < $1.key }) {
      response.headers.add(name: name, value: value)
    }
    response.headers.add(name: "Idempotent-Replayed", value: "true")
    return response
  }

  /// SHA-256 of method, path and body: what must match for a replay.
  static func requestHash(_ request: Request) -> String {
    var hasher = SHA256()
    hasher.update(data: Array(request.method.rawValue.utf8) + [0] + Array(request.target.utf8) + [0])
    hasher.update(data: request.body)
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }
}
