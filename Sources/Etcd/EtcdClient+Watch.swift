import Foundation
import Synchronization

/// One change a watch saw.
public struct EtcdWatchEvent: Sendable, Hashable {
  public enum Kind: Sendable, Hashable { case put, delete }
  public var kind: Kind
  public var key: String
  /// The revision of the change.
  public var modRevision: Int64
}

extension EtcdClient {
  /// Watches `key` (every key under it when `prefix`) through the gateway's `/v3/watch` on the member that last
  /// answered, then the next: `onEvents` gets each batch of changes as etcd streams it. Runs until the task is
  /// cancelled (returns); throws when no member takes the watch, or when the one that took it goes away (the
  /// caller watches again, from the revision it last saw).
  public func watch(
    _ key: String, prefix: Bool = false, fromRevision: Int64 = 0,
    onEvents: @escaping @Sendable ([EtcdWatchEvent]) -> Void
  ) async throws(EtcdError) {
    guard let streaming = transport as? any EtcdStreamingTransport else {
      throw .malformed("this client's transport cannot stream a watch")
    }
    var create = Self.rangeBody(key, prefix: prefix)
    if fromRevision > 0 { create["start_revision"] = String(fromRevision) }
    let body: Data
    do {
      body = try JSONSerialization.data(withJSONObject: ["create_request": create])
    } catch {
      throw .malformed("the watch request cannot be encoded: \(error)")
    }
    var reasons: [String] = []
    let start = preferred.withLock { $0 }
    for offset in 0..<endpoints.count {
      let endpoint = endpoints[(start + offset) % endpoints.count]
      let failure = WatchFailure()
      do {
        var headers: [String: String] = [:]
        if credentials != nil { headers["Authorization"] = try await authToken(endpoint: endpoint) }
        try await streaming.stream(
          url: endpoint.appendingPathComponent("v3/watch"), headers: headers, body: body, timeout: timeout
        ) { line in
          switch Self.watchEvents(line) {
          case .success(let events):
            if !events.isEmpty { onEvents(events) }
            return true
          case .failure(let error):
            failure.record(error)
            return false
          }
        }
        if Task.isCancelled { return }
        if let error = failure.error { throw error }
        throw EtcdError.unavailable(["\(endpoint.absoluteString): the watch stream ended"])
      } catch let error as EtcdTransportFailure {
        reasons.append("\(endpoint.absoluteString): \(error.detail)")
      } catch let error as EtcdError {
        throw error
      } catch {
        if Task.isCancelled { return }
        reasons.append("\(endpoint.absoluteString): \(error)")
      }
    }
    throw .unavailable(reasons)
  }

  /// The events of one streamed line: `{"result":{"header":…,"created":true}}` first (no events), then
  /// `{"result":{"events":[{"type":"DELETE","kv":{…}}]}}` (a PUT's type is left out, proto3's default);
  /// `{"error":…}` or a cancelled watch is a failure.
  static func watchEvents(_ line: Data) -> Result<[EtcdWatchEvent], EtcdError> {
    guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
      return .failure(
        .malformed("a watch line is not JSON: \(String(decoding: line.prefix(120), as: UTF8.self))"))
    }
    if let error = object["error"] as? [String: Any] {
      return .failure(
        .rejected(
          code: Int(int64(error["grpc_code"] ?? error["code"])),
          message: error["message"] as? String ?? "error"))
    }
    guard let result = object["result"] as? [String: Any] else { return .success([]) }
    if result["canceled"] as? Bool == true {
      return .failure(
        .rejected(code: 0, message: "etcd cancelled the watch: \(result["cancel_reason"] as? String ?? "")"))
    }
    var events: [EtcdWatchEvent] = []
    for event in result["events"] as? [[String: Any]] ?? [] {
      guard let kv = event["kv"] as? [String: Any], let value = try? keyValue(kv) else { continue }
      events.append(
        EtcdWatchEvent(
          kind: event["type"] as? String == "DELETE" ? .delete : .put, key: value.key,
          modRevision: value.modRevision))
    }
    return .success(events)
  }
}

/// The first error a watch's lines carried (the stream is read on another thread).
private final class WatchFailure: Sendable {
  private let state = Mutex<EtcdError?>(nil)
  var error: EtcdError? { state.withLock { $0 } }
  func record(_ error: EtcdError) { state.withLock { $0 = $0 ?? error } }
}
