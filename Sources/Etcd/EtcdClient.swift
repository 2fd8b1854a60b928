import Foundation
import Synchronization

/// etcd v3 through its HTTP/JSON gateway (`/v3/kv/range`, `/v3/kv/txn`, `/v3/lease/*`): no gRPC stack. Keys and
/// values travel base64-encoded; 64-bit numbers come back as JSON strings. Every call goes to the member that last
/// answered and, when it cannot be reached or has no leader, to the next one; `unavailable` means none answered.
public final class EtcdClient: Sendable {
  /// The members' client URLs, in the configured order.
  public let endpoints: [URL]
  let transport: any EtcdTransport
  let timeout: TimeInterval
  let credentials: (username: String, password: String)?
  /// The index of the member that last answered.
  let preferred = Mutex(0)
  private let token = Mutex<String?>(nil)

  /// A client of the members at `endpoints`; `timeout` bounds one request to one member.
  public init(
    endpoints: [URL], username: String? = nil, password: String? = nil, timeout: TimeInterval = 2,
    transport: any EtcdTransport = EtcdSocketTransport.plain
  ) {
    precondition(!endpoints.isEmpty, "an etcd client needs at least one endpoint")
    self.endpoints = endpoints
    self.timeout = timeout
    self.transport = transport
    credentials = username.map { ($0, password ?? "") }
  }

  // MARK: Key-value

  /// Reads `key`, or every key starting with it when `prefix`; `limit` 0 means all.
  public func range(_ key: String, prefix: Bool = false, limit: Int = 0, keysOnly: Bool = false)
    async throws(EtcdError) -> EtcdRangeResult
  {
    var body = Self.rangeBody(key, prefix: prefix)
    if limit > 0 { body["limit"] = String(limit) }
    if keysOnly { body["keys_only"] = true }
    let answer = try await call("/v3/kv/range", body)
    let kvs = try (answer["kvs"] as? [[String: Any]] ?? []).map(Self.keyValue)
    return EtcdRangeResult(
      kvs: kvs, count: Self.int64(answer["count"]), revision: Self.revision(answer),
      more: answer["more"] as? Bool ?? false)
  }

  /// Reads one key's value, nil when absent.
  public func get(_ key: String) async throws(EtcdError) -> EtcdKeyValue? {
    try await range(key).kvs.first
  }

  /// Writes `key`; answers the store's revision after the write.
  @discardableResult
  public func put(_ key: String, _ value: Data, lease: Int64? = nil) async throws(EtcdError) -> Int64 {
    var body: [String: Any] = ["key": Self.b64(key), "value": value.base64EncodedString()]
    if let lease, lease != 0 { body["lease"] = String(lease) }
    return Self.revision(try await call("/v3/kv/put", body))
  }

  /// Deletes `key`, or every key starting with it; answers how many were deleted.
  @discardableResult
  public func delete(_ key: String, prefix: Bool = false) async throws(EtcdError) -> Int64 {
    Self.int64(try await call("/v3/kv/deleterange", Self.rangeBody(key, prefix: prefix))["deleted"])
  }

  /// Runs a transaction atomically.
  public func txn(_ txn: EtcdTxn) async throws(EtcdError) -> EtcdTxnResult {
    let body: [String: Any] = [
      "compare": txn.compare.map(Self.compareBody), "success": txn.success.map(Self.opBody),
      "failure": txn.failure.map(Self.opBody),
    ]
    let answer = try await call("/v3/kv/txn", body)
    var responses: [EtcdOpResult] = []
    for item in answer["responses"] as? [[String: Any]] ?? [] {
      if let range = item["response_range"] as? [String: Any] {
        responses.append(.range(try (range["kvs"] as? [[String: Any]] ?? []).map(Self.keyValue)))
      } else if let deleted = item["response_delete_range"] as? [String: Any] {
        responses.append(.delete(deleted: Self.int64(deleted["deleted"])))
      } else {
        responses.append(.put)
      }
    }
    return EtcdTxnResult(
      succeeded: answer["succeeded"] as? Bool ?? false, revision: Self.revision(answer), responses: responses)
  }

  // MARK: Leases

  /// Grants a lease of `ttl` seconds; answers its id and the TTL etcd granted.
  public func grantLease(ttl: Int) async throws(EtcdError) -> (id: Int64, ttl: Int) {
    let answer = try await call("/v3/lease/grant", ["TTL": String(ttl)])
    let id = Self.int64(answer["ID"])
    guard id != 0 else { throw .malformed("lease grant without an ID") }
    return (id, Int(Self.int64(answer["TTL"])))
  }

  /// Renews a lease once; answers the TTL it now has, 0 when the lease no longer exists (expired or revoked).
  public func keepAlive(_ lease: Int64) async throws(EtcdError) -> Int {
    let answer = try await call("/v3/lease/keepalive", ["ID": String(lease)])
    let result = answer["result"] as? [String: Any] ?? answer
    return Int(Self.int64(result["TTL"]))
  }

  /// Revokes a lease: every key attached to it is deleted. A lease that no longer exists is not an error.
  public func revoke(_ lease: Int64) async throws(EtcdError) {
    do {
      _ = try await call("/v3/lease/revoke", ["ID": String(lease)])
    } catch .rejected(_, let message) where message.contains("not found") {
      return
    }
  }

  /// The seconds a lease has left, -1 when it does not exist.
  public func timeToLive(_ lease: Int64) async throws(EtcdError) -> Int {
    let answer = try await call("/v3/lease/timetolive", ["ID": String(lease)])
    return Int(Self.int64(answer["TTL"]))
  }

  // MARK: Members

  /// Whether each member answers `/v3/maintenance/status` within the timeout, in endpoint order.
  public func memberStatus() async -> [(endpoint: URL, reachable: Bool)] {
    var result: [(URL, Bool)] = []
    for endpoint in endpoints {
      let url = endpoint.appendingPathComponent("v3/maintenance/status")
      let ok =
        (try? await transport.post(url: url, headers: [:], body: Data("{}".utf8), timeout: timeout))
        .map { $0.0 == 200 } ?? false
      result.append((endpoint, ok))
    }
    return result
  }

  // MARK: Calls

  /// POSTs `body` to `path` on the preferred member, then on the others; answers the decoded JSON object.
  func call(_ path: String, _ body: [String: Any]) async throws(EtcdError) -> [String: Any] {
    let data: Data
    do {
      data = try JSONSerialization.data(withJSONObject: body)
    } catch {
      throw .malformed("request for \(path) cannot be encoded: \(error)")
    }
    var reasons: [String] = []
    let start = preferred.withLock { $0 }
    for offset in 0..<endpoints.count {
      let index = (start + offset) % endpoints.count
      let endpoint = endpoints[index]
      do {
        let answer = try await post(endpoint: endpoint, path: path, body: data, retryAuth: true)
        if offset != 0 { preferred.withLock { $0 = index } }
        return answer
      } catch let failure as EtcdTransportFailure {
        reasons.append("\(endpoint.absoluteString): \(failure.detail)")
      } catch let error as EtcdError {
        if case .rejected(let code, let message) = error, Self.tryNext(code: code, message: message) {
          reasons.append("\(endpoint.absoluteString): \(message)")
          continue
        }
        throw error
      } catch is CancellationError {
        throw .unavailable(reasons + ["cancelled"])
      } catch {
        reasons.append("\(endpoint.absoluteString): \(error)")
      }
    }
    throw .unavailable(reasons)
  }

  private func post(endpoint: URL, path: String, body: Data, retryAuth: Bool) async throws -> [String: Any] {
    var headers: [String: String] = [:]
    if credentials != nil { headers["Authorization"] = try await authToken(endpoint: endpoint) }
    let url = endpoint.appendingPathComponent(String(path.dropFirst()))
    let (status, data) = try await transport.post(url: url, headers: headers, body: body, timeout: timeout)
    let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    guard status == 200, let object, object["error"] == nil || object["result"] != nil else {
      let code = Int(Self.int64(object?["code"]))
      let message =
        object?["message"] as? String ?? object?["error"] as? String
        ?? "HTTP \(status): \(String(decoding: data.prefix(200), as: UTF8.self))"
      if retryAuth, credentials != nil, code == 16 || message.contains("invalid auth token") {
        token.withLock { $0 = nil }
        return try await post(endpoint: endpoint, path: path, body: body, retryAuth: false)
      }
      throw EtcdError.rejected(code: code, message: message)
    }
    if let error = (object["error"] as? [String: Any]) {
      throw EtcdError.rejected(
        code: Int(Self.int64(error["grpc_code"] ?? error["code"])),
        message: error["message"] as? String ?? "error")
    }
    return object
  }

  func authToken(endpoint: URL) async throws -> String {
    if let cached = token.withLock({ $0 }) { return cached }
    guard let credentials else { return "" }
    let body = try JSONSerialization.data(withJSONObject: [
      "name": credentials.username, "password": credentials.password,
    ])
    let url = endpoint.appendingPathComponent("v3/auth/authenticate")
    let (status, data) = try await transport.post(url: url, headers: [:], body: body, timeout: timeout)
    let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    guard status == 200, let value = object?["token"] as? String else {
      throw EtcdError.rejected(
        code: Int(Self.int64(object?["code"])),
        message:
          "authentication as \(credentials.username) failed: \(object?["message"] as? String ?? "HTTP \(status)")"
      )
    }
    token.withLock { $0 = value }
    return value
  }

  /// Whether an error means "this member cannot serve now, another may": unavailable, deadline, no leader.
  static func tryNext(code: Int, message: String) -> Bool {
    code == 14 || code == 4 || message.contains("no leader") || message.contains("timed out")
      || message.contains("leader changed") || message.hasPrefix("HTTP 5")
  }
}
