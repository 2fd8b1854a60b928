import FailoverCore

/// One check of a probe: what to send where, how long to wait, when it began and who hears the result. A check
/// runs on one connection, or on two when the keep-alive connection it reused turned out to be closed by the
/// server and it was retried, once, on a fresh one.
struct ProbeCheck {
  /// Where to.
  var url: ProbeURL
  /// The GET request's bytes.
  var request: [UInt8]
  /// Seconds to connect (a fresh connection only).
  var connectTimeout: Double
  /// Seconds from sending the request to the response's head.
  var responseTimeout: Double
  /// When the check began (uptime nanoseconds): latencies count from here, across a retry.
  var startedAt: UInt64
  /// Who hears the result (exactly once).
  var completion: @Sendable (HTTPProbeResult) -> Void
  /// Whether this check already retried on a fresh connection.
  var retried = false

  /// Which connections can serve this check: the same scheme, host and port.
  var origin: ProbeOrigin { ProbeOrigin(url) }
}

/// Scheme, host and port: the connections a probe may reuse are those to its origin (never by resolved address,
/// so a Host header or TLS server name never crosses to another name).
struct ProbeOrigin: Hashable {
  var scheme: String
  var host: String
  var port: Int

  init(_ url: ProbeURL) {
    scheme = url.scheme
    host = url.host
    port = url.port
  }
}
