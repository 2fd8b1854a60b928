import Foundation
import Glibc
import Synchronization

/// The etcd transport over Switchboard's own sockets and OpenSSL (URLSession cannot take a CA file or a client
/// certificate): HTTP/1.1 POSTs with keep-alive to each member, `https://` verified against `storage.tls.ca_file`
/// (or the system's CAs) with the host name or IP checked, the client certificate presented when configured;
/// `http://` in plain text. Each call runs its I/O on a thread of its own, every wait bounded by the call's
/// deadline; idle connections are kept per member (at most `maxIdlePerMember`) and reused.
public final class EtcdSocketTransport: EtcdTransport {
  /// The most idle connections kept per member.
  public static let maxIdlePerMember = 8

  /// The TLS context (CA, client certificate) every connection of this transport uses.
  let tls: EtcdTLSContext
  private let idle = Mutex<[String: [EtcdTLSConnection]]>([:])

  /// A transport that verifies members against the PEM CAs in `caFile` (nil: the system's) and presents
  /// `certFile`/`keyFile` when given; throws when a file is missing, unreadable or not PEM.
  public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil)
    throws(EtcdTLSSetupError)
  {
    tls = try EtcdTLSContext(caFile: caFile, certFile: certFile, keyFile: keyFile)
    // A member that resets the connection must not kill the process through SSL_write's write(2).
    signal(SIGPIPE, SIG_IGN)
  }

  /// POSTs `body` to `url` on a pooled (or new) connection; throws `EtcdTransportFailure` with a sentence when the
  /// member cannot be reached, is not trusted, refuses the client, or does not answer within `timeout` seconds.
  public func post(url: URL, headers: [String: String], body: Data, timeout: TimeInterval) async throws -> (
    Int, Data
  ) {
    let deadline = EtcdDeadline(seconds: timeout)
    let cancellation = EtcdCallCancellation()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, Data), Error>) in
        // A thread of its own: the I/O blocks in poll (bounded by the deadline), which must never hold up the
        // cooperative pool or Dispatch's global queues that the HTTP server and the prober run on.
        Thread.detachNewThread {
          continuation.resume(
            with: Result {
              try self.perform(
                url: url, headers: headers, body: body, deadline: deadline, cancellation: cancellation)
            })
        }
      }
    } onCancel: {
      cancellation.cancel()
    }
  }

  /// One request and its response, on a pooled connection when one is idle; a reused connection that fails
  /// before any byte of the response arrived (the member closed it while idle) is replaced once by a new one.
  private func perform(
    url: URL, headers: [String: String], body: Data, deadline: EtcdDeadline,
    cancellation: EtcdCallCancellation
  ) throws -> (Int, Data) {
    let (host, port, secure) = try Self.member(of: url)
    let scheme = secure ? "https" : "http"
    let member = "\(scheme)://\(host):\(port)"
    let request = Self.request(url: url, host: host, port: port, headers: headers, body: body)
    var attempt = 0
    while true {
      attempt += 1
      let pooled = idle.withLock { $0[member]?.popLast() }
      let connection =
        try pooled
        ?? EtcdTLSConnection.open(
          host: host, port: port, tls: scheme == "https" ? tls : nil, deadline: deadline)
      guard cancellation.attach(connection) else { throw CancellationError() }
      defer { cancellation.detach() }
      do {
        try connection.send(request, deadline: deadline)
        let response = try connection.receive(deadline: deadline)
        if response.keepAlive {
          idle.withLock { pool in
            if pool[member, default: []].count < Self.maxIdlePerMember {
              pool[member, default: []].append(connection)
            }
          }
        } else {
          connection.closeNotify()
        }
        return (response.status, Data(response.body))
      } catch {
        if cancellation.isCancelled { throw CancellationError() }
        let stale =
          pooled != nil && attempt == 1 && !connection.receivedAny && !error.detail.hasPrefix("timed out")
        if !stale {
          throw Self.explained(
            error, presentsCertificate: tls.presentsCertificate,
            freshTLS: pooled == nil && scheme == "https" && !connection.receivedAny)
        }
      }
    }
  }

  /// Drops every idle connection (they close).
  public func closeIdleConnections() {
    idle.withLock { $0.removeAll() }
  }

  /// The host, port and whether TLS is used, of an `http(s)` URL.
  static func member(of url: URL) throws(EtcdTransportFailure) -> (host: String, port: Int, secure: Bool) {
    guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", let host = url.host
    else { throw EtcdTransportFailure(detail: "\(url.absoluteString) is not an http(s) URL") }
    return (host, url.port ?? (scheme == "https" ? 443 : 80), scheme == "https")
  }

  static func request(url: URL, host: String, port: Int, headers: [String: String], body: Data)
    -> [UInt8]
  {
    var target = url.path.isEmpty ? "/" : url.path
    if let query = url.query { target += "?" + query }
    let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    var head =
      "POST \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: application/json\r\n"
      + "Content-Length: \(body.count)\r\n"
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + Array(body)
  }

  /// etcd refuses a TLS client without a certificate with an alert the client only reads after the handshake:
  /// say so in words. With TLS 1.3 the member may also reset the connection before the request is even sent (the
  /// alert is then lost with the reset): on a new connection that presented a certificate, name that likely cause.
  private static func explained(
    _ failure: EtcdTransportFailure, presentsCertificate: Bool, freshTLS: Bool
  ) -> EtcdTransportFailure {
    let detail = failure.detail
    let reset = detail.contains("reset by peer") || detail.contains("Broken pipe")
    if freshTLS, presentsCertificate, reset {
      return EtcdTransportFailure(
        detail:
          "TLS: the member closed the connection right after the handshake (\(detail)), as etcd does when "
          + "it refuses a client certificate; check `storage.tls.cert_file` is signed by a CA the member trusts "
          + "(its --trusted-ca-file)")
    }
    guard detail.contains("certificate required") || detail.contains("bad certificate") else {
      return failure
    }
    return EtcdTransportFailure(
      detail: presentsCertificate
        ? "TLS: the member refused Switchboard's client certificate (\(detail)); check `storage.tls.cert_file` "
          + "is signed by a CA the member trusts (its --trusted-ca-file)"
        : "TLS: the member requires a client certificate and none is configured (\(detail)); set "
          + "`storage.tls.cert_file` and `storage.tls.key_file`")
  }
}

/// Lets a cancelled task end its call at once: shuts the connection's socket down, which wakes its `poll`.
final class EtcdCallCancellation: Sendable {
  private let state = Mutex<(cancelled: Bool, connection: EtcdTLSConnection?)>((false, nil))

  var isCancelled: Bool { state.withLock { $0.cancelled } }

  /// Records the connection in use; false when the call is already cancelled.
  func attach(_ connection: EtcdTLSConnection) -> Bool {
    state.withLock {
      guard !$0.cancelled else { return false }
      $0.connection = connection
      return true
    }
  }

  func detach() { state.withLock { $0.connection = nil } }

  func cancel() {
    state.withLock {
      $0.cancelled = true
      if let connection = $0.connection { shutdown(connection.fd, Int32(SHUT_RDWR)) }
    }
  }
}
