import FailoverCore
import Foundation
import HTTPServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A request only the leader can carry out (a manual failover or failback, an approval, which the fenced journal
/// takes from the leader only, and a drill change, which the leader's drill conductor must see), sent to a
/// follower, goes to the leader: same method, path, body, `Authorization` and `Idempotency-Key` (the leader keeps
/// the idempotency record), and the leader's answer is relayed as is. With no leader (an election in progress, or
/// this node cut off from etcd) the answer is a 503 problem naming that.
public enum LeaderForwarding {
  /// Set on a forwarded request, so a node that receives one but does not lead answers 503 instead of bouncing it.
  static let header = "X-Switchboard-Forwarded-By"

  /// The leader's answer when this node follows; nil when this node should handle the request itself (it leads,
  /// or there is no cluster).
  public static func forwardIfFollower(_ request: Request, _ context: APIContext) async throws -> Response? {
    guard let leadership = context.engine.leadership else { return nil }
    let status = leadership.status()
    if status.role == .leader { return nil }
    if let from = request.headers[header] {
      throw APIError.noLeader(
        "\(from) forwarded this request here, but this node does not lead: \(status.detail)")
    }
    guard status.role == .follower, let leader = status.leader else {
      throw APIError.noLeader(
        "There is no leader to carry out this request now (\(status.detail)); retry in a few seconds.")
    }
    guard var url = URL(string: leader.apiURL + request.path) else {
      throw APIError.noLeader("The leader's API URL \(leader.apiURL) is not a URL.")
    }
    if let query = request.query, !query.isEmpty,
      let withQuery = URL(string: url.absoluteString + "?" + query)
    {
      url = withQuery
    }
    var outgoing = URLRequest(url: url, timeoutInterval: 30)
    outgoing.httpMethod = request.method.rawValue
    outgoing.httpBody = Data(request.body)
    for name in ["Authorization", "Idempotency-Key", "Content-Type", "Accept"] {
      if let value = request.headers[name] { outgoing.setValue(value, forHTTPHeaderField: name) }
    }
    outgoing.setValue("follower", forHTTPHeaderField: header)
    let (data, answer): (Data, URLResponse)
    do { (data, answer) = try await URLSession.shared.data(for: outgoing) } catch {
      throw APIError.noLeader("The leader \(leader.nodeID) at \(leader.apiURL) did not answer: \(error)")
    }
    guard let http = answer as? HTTPURLResponse else {
      throw APIError.noLeader("The leader \(leader.nodeID) answered something other than HTTP.")
    }
    var headers = HTTPHeaders()
    for name in ["Location", "Retry-After", "Idempotent-Replayed"] {
      if let value = http.value(forHTTPHeaderField: name) { headers.add(name: name, value: value) }
    }
    headers.add(name: "X-Switchboard-Leader", value: leader.nodeID)
    return Response(
      status: Status(code: http.statusCode),
      contentType: http.value(forHTTPHeaderField: "Content-Type") ?? "application/octet-stream",
      bytes: Array(data), headers: headers)
  }
}

extension APIError {
  /// 503: the request needs the cluster's leader and there is none this node can reach.
  static func noLeader(_ detail: String) -> APIError {
    APIError(
      ProblemDetails(
        status: .serviceUnavailable, detail: detail, type: type("no-leader"), title: "No leader"),
      headers: [("Retry-After", "2")])
  }
}
