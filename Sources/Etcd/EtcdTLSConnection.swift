import COpenSSL
import Dispatch
import Glibc
import Sockets

/// One keep-alive HTTP/1.1 connection to one etcd member, plain or TLS, on a non-blocking socket whose every wait
/// is a `poll` bounded by the call's deadline. Used by one call at a time (the pool hands it out).
final class EtcdTLSConnection: @unchecked Sendable {
  let fd: Int32
  private var ssl: OpaquePointer?
  /// Whether the current call has received any byte (a reused connection failing before that was closed by the
  /// member while idle, so the request can go again on a new one).
  private(set) var receivedAny = false

  private init(fd: Int32) { self.fd = fd }

  deinit {
    if let ssl { SSL_free(ssl) }
    close(fd)
  }

  /// Connects to `host`:`port` and, when `tls` is given, completes the handshake, verifying the member's
  /// certificate; throws a sentence.
  static func open(host: String, port: Int, tls: EtcdTLSContext?, deadline: EtcdDeadline)
    throws(EtcdTransportFailure) -> EtcdTLSConnection
  {
    let addresses: [ResolvedAddress]
    if let literal = ResolvedAddress(literal: host, port: port) {
      addresses = [literal]
    } else {
      switch AddressResolver.resolve(host, port: port) {
      case .success(let resolved): addresses = resolved
      case .failure(.lookupFailed(_, let reason)):
        throw EtcdTransportFailure(detail: "cannot resolve \(host): \(reason)")
      case .failure(.noAddress):
        throw EtcdTransportFailure(detail: "\(host) has no IPv4 or IPv6 address")
      }
    }
    var lastFailure = EtcdTransportFailure(detail: "cannot connect")
    for address in addresses {
      do {
        let connection = try connect(to: address, deadline: deadline)
        if let tls { try connection.handshake(tls: tls, host: host, deadline: deadline) }
        return connection
      } catch {
        lastFailure = error
        if error.detail.hasPrefix("TLS") || error.detail.hasPrefix("timed out") { throw error }
      }
    }
    throw lastFailure
  }

  private static func connect(to address: ResolvedAddress, deadline: EtcdDeadline)
    throws(EtcdTransportFailure)
    -> EtcdTLSConnection
  {
    let fd = SocketOptions.openStream(family: address.family)
    guard fd >= 0 else {
      throw EtcdTransportFailure(detail: "cannot open a socket: \(SocketOptions.errorText())")
    }
    let connection = EtcdTLSConnection(fd: fd)
    SocketOptions.setNoDelay(fd)
    if SocketOptions.connect(fd, to: address) != 0 {
      guard errno == EINPROGRESS else { throw connectFailure(errno) }
      try connection.wait(for: Int16(POLLOUT), deadline: deadline)
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
      if error != 0 { throw connectFailure(error) }
    }
    return connection
  }

  private static func connectFailure(_ code: Int32) -> EtcdTransportFailure {
    EtcdTransportFailure(
      detail: code == ECONNREFUSED ? "connection refused" : "cannot connect: \(SocketOptions.errorText(code))"
    )
  }

  private func handshake(tls: EtcdTLSContext, host: String, deadline: EtcdDeadline)
    throws(EtcdTransportFailure)
  {
    guard let session = tls.session(fd: fd, host: host) else {
      throw EtcdTransportFailure(detail: "TLS: cannot start a session: \(EtcdTLSContext.reason())")
    }
    ssl = session
    while true {
      ERR_clear_error()
      let result = SSL_do_handshake(session)
      if result == 1 { return }
      switch SSL_get_error(session, result) {
      case SSL_ERROR_WANT_READ: try wait(for: Int16(POLLIN), deadline: deadline)
      case SSL_ERROR_WANT_WRITE: try wait(for: Int16(POLLOUT), deadline: deadline)
      default:
        let verification = SSL_get_verify_result(session)
        if verification != Int(X509_V_OK) {
          let why = String(cString: X509_verify_cert_error_string(verification))
          ERR_clear_error()
          throw EtcdTransportFailure(
            detail: "TLS: the member's certificate is not trusted (\(why)); check `storage.tls.ca_file` "
              + "and that the certificate names \(host)")
        }
        throw EtcdTransportFailure(detail: "TLS: the handshake failed: \(failureReason())")
      }
    }
  }

  /// Sends all of `bytes`.
  func send(_ bytes: [UInt8], deadline: EtcdDeadline) throws(EtcdTransportFailure) {
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        rawWrite(raw.baseAddress! + written, raw.count - written)
      }
      if count > 0 {
        written += count
      } else if count == -2 {
        try wait(for: Int16(POLLIN), deadline: deadline)
      } else if count == -3 {
        try wait(for: Int16(POLLOUT), deadline: deadline)
      } else {
        throw EtcdTransportFailure(detail: "the connection broke while sending: \(failureReason())")
      }
    }
  }

  /// Reads one response.
  func receive(deadline: EtcdDeadline) throws(EtcdTransportFailure) -> EtcdHTTPResponseParser {
    var parser = EtcdHTTPResponseParser()
    receivedAny = false
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while !parser.isComplete {
      let count = buffer.withUnsafeMutableBytes { rawRead($0.baseAddress!, $0.count) }
      if count > 0 {
        receivedAny = true
        try parser.consume(buffer[0..<count])
      } else if count == 0 {
        if parser.finishAtEndOfStream() { return parser }
        throw EtcdTransportFailure(
          detail: parser.hasStarted
            ? "the connection closed in the middle of the response"
            : "the connection closed without a response")
      } else if count == -2 {
        try wait(for: Int16(POLLIN), deadline: deadline)
      } else if count == -3 {
        try wait(for: Int16(POLLOUT), deadline: deadline)
      } else {
        throw EtcdTransportFailure(detail: "the connection broke while reading: \(failureReason())")
      }
    }
    return parser
  }

  /// Reads a streamed response (a watch): its head within `headDeadline`, then `onBody` with the body's bytes as they
  /// arrive, for as long as the member keeps the stream open and `isStopped` says no (asked every `pollSeconds`
  /// while nothing arrives). Answers the status; throws when the connection breaks or the head does not come.
  func stream(
    headDeadline: EtcdDeadline, pollSeconds: Double = 0.25, isStopped: () -> Bool, onBody: ([UInt8]) -> Void
  ) throws(EtcdTransportFailure) -> Int {
    var parser = EtcdHTTPResponseParser()
    receivedAny = false
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while !parser.isComplete && !isStopped() {
      let count = buffer.withUnsafeMutableBytes { rawRead($0.baseAddress!, $0.count) }
      if count > 0 {
        receivedAny = true
        try parser.consume(buffer[0..<count])
        if parser.status != 0 && parser.status != 200 { break }
        let body = parser.takeBody()
        if !body.isEmpty { onBody(body) }
      } else if count == 0 {
        _ = parser.finishAtEndOfStream()
        break
      } else if count == -2 || count == -3 {
        let events = Int16(count == -2 ? POLLIN : POLLOUT)
        if parser.status == 0 {
          try wait(for: events, deadline: headDeadline)
        } else {
          // A quiet stream is normal between events: the short wait only lets `isStopped` be checked. A poll
          // failure is not quiet, and ends the stream rather than spinning on it.
          try waitQuietly(for: events, milliseconds: Int32(pollSeconds * 1000))
        }
      } else {
        throw EtcdTransportFailure(detail: "the connection broke while reading: \(failureReason())")
      }
    }
    return parser.status
  }

  /// Sends close_notify (best effort) before the socket closes.
  func closeNotify() {
    guard let ssl else { return }
    ERR_clear_error()
    _ = SSL_shutdown(ssl)
    ERR_clear_error()
  }

  /// Bytes written, -2 (wait until readable), -3 (wait until writable) or -1 (failed; `lastError` says why).
  private func rawWrite(_ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    guard let ssl else {
      let n = Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
      if n >= 0 { return n }
      if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return -3 }
      lastError = SocketOptions.errorText()
      return -1
    }
    ERR_clear_error()
    let n = SSL_write(ssl, pointer, Int32(clamping: count))
    return n > 0 ? Int(n) : tlsOutcome(ssl, n)
  }

  /// Bytes read, 0 at the end of the stream, -2 (wait until readable), -3 (wait until writable) or -1 (failed).
  private func rawRead(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    guard let ssl else {
      let n = recv(fd, pointer, count, 0)
      if n >= 0 { return n }
      if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return -2 }
      lastError = SocketOptions.errorText()
      return -1
    }
    ERR_clear_error()
    let n = SSL_read(ssl, pointer, Int32(clamping: count))
    return n > 0 ? Int(n) : tlsOutcome(ssl, n)
  }

  private var lastError: String?

  private func tlsOutcome(_ ssl: OpaquePointer, _ result: Int32) -> Int {
    switch SSL_get_error(ssl, result) {
    case SSL_ERROR_WANT_READ: return -2
    case SSL_ERROR_WANT_WRITE: return -3
    case SSL_ERROR_ZERO_RETURN: return 0
    case SSL_ERROR_SYSCALL where errno == 0: return 0
    case SSL_ERROR_SYSCALL:
      lastError = SocketOptions.errorText()
      return -1
    default:
      lastError = OpenSSLErrorQueue.takeReason()
      return -1
    }
  }

  private func failureReason() -> String {
    let reason = lastError ?? OpenSSLErrorQueue.takeReason() ?? "the connection closed"
    lastError = nil
    return reason
  }

  /// Waits up to `milliseconds` for `events`; returning without them is not a failure, a failing poll is.
  private func waitQuietly(for events: Int16, milliseconds: Int32) throws(EtcdTransportFailure) {
    var descriptor = pollfd(fd: fd, events: events, revents: 0)
    if poll(&descriptor, 1, milliseconds) < 0 && errno != EINTR {
      throw EtcdTransportFailure(detail: "poll failed: \(SocketOptions.errorText())")
    }
  }

  /// Waits until the socket is ready for `events`, or throws when the deadline passes first.
  func wait(for events: Int16, deadline: EtcdDeadline) throws(EtcdTransportFailure) {
    while true {
      let remaining = deadline.remainingMilliseconds
      guard remaining > 0 else { throw deadline.timeout }
      var descriptor = pollfd(fd: fd, events: events, revents: 0)
      let result = poll(&descriptor, 1, Int32(clamping: remaining))
      if result > 0 { return }
      if result < 0 && errno != EINTR {
        throw EtcdTransportFailure(detail: "poll failed: \(SocketOptions.errorText())")
      }
    }
  }
}

/// When a call to a member must have finished (monotonic clock).
struct EtcdDeadline: Sendable {
  let end: UInt64
  let seconds: Double

  init(seconds: Double) {
    self.seconds = seconds
    end = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1_000_000_000)
  }

  var remainingMilliseconds: Int {
    let now = DispatchTime.now().uptimeNanoseconds
    return now >= end ? 0 : Int((end - now + 999_999) / 1_000_000)
  }

  var timeout: EtcdTransportFailure { EtcdTransportFailure(detail: "timed out after \(seconds) s") }
}
