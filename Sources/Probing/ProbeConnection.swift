import Dispatch
import FailoverCore
import Glibc
import Sockets

import struct Foundation.Data

/// One probe connection: resolve, connect without blocking, send a GET, read the status and the first 5,120 body
/// bytes. With keep-alive, a connection whose response was read to its end goes back to its lane's pool and
/// serves later checks of the same origin; otherwise (or when the server closes) it closes. All its state lives
/// on its lane's serial queue; the lane's sweep enforces the deadlines.
final class ProbeConnection: @unchecked Sendable {
  private enum Phase { case resolving, connecting, responding, idle, done }

  let lane: ProbeLane
  /// The origin this connection talks to (its pool).
  let origin: ProbeOrigin
  private var check: ProbeCheck

  private var phase = Phase.resolving
  private var fd: Int32 = -1
  private var readSource: DispatchSourceRead?
  private var writeSource: DispatchSourceWrite?
  private var liveSources = 0
  private var sawEOF = false
  private var closeRequested = false
  private(set) var deadline: UInt64 = .max
  /// When it went idle (uptime nanoseconds).
  private(set) var idleSince: UInt64 = 0
  /// Whether the current check runs on a connection an earlier check opened.
  private var reused = false
  private var receivedAny = false
  private var written = 0
  private var reader = ProbeResponseReader()
  private var headAt: UInt64?
  private var tls: TLSSession?
  private var handshaking = false

  init(lane: ProbeLane, check: ProbeCheck) {
    self.lane = lane
    self.check = check
    origin = check.origin
  }

  /// The GET request of a probe of `url` (built once per periodic probe, not per attempt); without keep-alive
  /// it asks the server to close.
  static func request(for url: ProbeURL, keepAlive: Bool = false) -> [UInt8] {
    Array(
      ("GET \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\nUser-Agent: Switchboard-Probe/1\r\n"
        + "Accept: */*\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").utf8)
  }

  /// Begins the attempt (on the lane's queue).
  func start() {
    deadline = check.startedAt + ProbeConnection.nanos(check.connectTimeout)
    lane.resolver.resolve(check.url.host, port: check.url.port, on: lane.queue) { [self] result in
      guard phase == .resolving else { return }
      switch result {
      case .success(let address): connect(to: address)
      case .failure(let failure): finish(.failure(reason: failure.reason, latency: nil))
      }
    }
  }

  /// Ends the attempt if its deadline has passed (called by the lane's sweep).
  func checkDeadline(now: UInt64) {
    guard phase != .done, now >= deadline else { return }
    switch phase {
    case .resolving, .connecting:
      fail("could not connect within \(ProbeConnection.seconds(check.connectTimeout))")
    case .responding:
      if reader.hasHead {
        finishWithResponse()
      } else {
        fail("timed out after \(ProbeConnection.seconds(check.responseTimeout)) waiting for the response")
      }
    case .idle, .done:
      break
    }
  }

  private func connect(to address: ResolvedAddress) {
    phase = .connecting
    fd = SocketOptions.openStream(family: address.family)
    guard fd >= 0 else { return fail(ProbeSocketFailure.reason(errno)) }
    SocketOptions.setNoDelay(fd)
    if SocketOptions.connect(fd, to: address) == 0 { return connected() }
    guard errno == EINPROGRESS else { return fail(ProbeConnection.connectError(errno)) }
    ensureWriteSource()
  }

  private func onWritable() {
    guard phase != .done else { return }
    if phase == .connecting {
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
      if error != 0 { return fail(ProbeConnection.connectError(error)) }
      connected()
    } else if handshaking {
      advanceHandshake()
    } else {
      sendRequest()
    }
  }

  private func connected() {
    phase = .responding
    deadline = DispatchTime.now().uptimeNanoseconds + ProbeConnection.nanos(check.responseTimeout)
    guard check.url.scheme == "https" else { return sendRequest() }
    guard let session = ProbeTLS.session(fd: fd, host: check.url.host) else {
      return fail("cannot start a TLS session: \(ProbeTLS.lastError())")
    }
    tls = session
    handshaking = true
    advanceHandshake()
  }

  /// Drives the TLS handshake with whichever socket event OpenSSL waits for.
  private func advanceHandshake() {
    guard let tls, phase == .responding else { return }
    switch tls.handshake() {
    case .done:
      handshaking = false
      sendRequest()
    case .wantRead:
      cancelWriteSource()
      ensureReadSource()
    case .wantWrite:
      ensureWriteSource()
    case .plainHTTP:
      fail("the TLS handshake failed: the server answered in plain HTTP")
    case .failed(let reason):
      fail("the TLS handshake failed: \(reason ?? "the connection closed during the handshake")")
    }
  }

  private func ensureWriteSource() {
    guard writeSource == nil else { return }
    writeSource = start(DispatchSource.makeWriteSource(fileDescriptor: fd, queue: lane.queue)) {
      $0.onWritable()
    }
  }

  private func cancelWriteSource() {
    writeSource?.cancel()
    writeSource = nil
  }

  private func ensureReadSource() {
    guard readSource == nil else { return }
    readSource = start(DispatchSource.makeReadSource(fileDescriptor: fd, queue: lane.queue)) {
      $0.onReadable()
    }
  }

  /// Resumes a new `source` of this connection's socket, calling `handler` on each event while the connection
  /// lives; it counts as live until cancelled.
  private func start<Source: DispatchSourceProtocol>(
    _ source: Source, _ handler: @escaping @Sendable (ProbeConnection) -> Void
  ) -> Source {
    source.setEventHandler { [weak self] in if let self { handler(self) } }
    track(source)
    source.resume()
    return source
  }

  /// `send(2)`, through TLS for https.
  private func transportSend(_ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    if let tls { return tls.write(pointer, count) }
    return send(fd, pointer, count, Int32(MSG_NOSIGNAL))
  }

  /// `recv(2)`, through TLS for https.
  private func transportReceive(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    if let tls { return tls.read(pointer, count) }
    return recv(fd, pointer, count, 0)
  }

  private func sendRequest() {
    while written < check.request.count {
      let count = check.request.withUnsafeBytes { bytes in
        transportSend(bytes.baseAddress! + written, bytes.count - written)
      }
      if count > 0 {
        written += count
      } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
        ensureWriteSource()
        return
      } else {
        return retryOrFail("the connection broke while sending the request: \(SocketOptions.errorText())")
      }
    }
    cancelWriteSource()
    ensureReadSource()
    // TLS may already hold decrypted bytes that no socket event will announce.
    if tls != nil { onReadable() }
  }

  private func onReadable() {
    if phase == .idle { return checkIdle() }
    guard phase == .responding else { return }
    if handshaking { return advanceHandshake() }
    // The lane's buffer: its connections read one at a time, on its queue.
    let buffer = lane.readBuffer
    while true {
      let count = transportReceive(buffer.baseAddress!, buffer.count)
      if count > 0 {
        receivedAny = true
        do {
          try reader.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        } catch {
          return fail(error.reason)
        }
        if headAt == nil && reader.hasHead { headAt = DispatchTime.now().uptimeNanoseconds }
        if reader.isComplete { return finishWithResponse() }
      } else if count == 0 {
        sawEOF = true
        if reader.hasHead { return finishWithResponse() }
        return retryOrFail("the connection closed without a complete response")
      } else if errno == EAGAIN || errno == EWOULDBLOCK {
        return
      } else if errno == EINTR {
        continue
      } else {
        return retryOrFail("the connection broke while reading: \(SocketOptions.errorText())")
      }
    }
  }

  private func finishWithResponse() {
    let end = headAt ?? DispatchTime.now().uptimeNanoseconds
    let result = HTTPProbeResult.response(
      status: reader.status ?? 0, body: Data(reader.body), latency: elapsed(until: end))
    guard lane.keepAlive, reader.isReusable, !sawEOF, !handshaking, phase == .responding, lane.canPark(origin)
    else {
      return finish(result)
    }
    // The response was read to its last byte and the server keeps the connection: park it for the next check.
    phase = .idle
    idleSince = DispatchTime.now().uptimeNanoseconds
    deadline = .max
    cancelWriteSource()
    lane.finished(self)
    lane.park(self)
    check.completion(result)
  }

  /// Runs another check on this idle connection (taken from its lane's pool).
  func reuse(for next: ProbeCheck) {
    check = next
    phase = .responding
    reused = true
    receivedAny = false
    written = 0
    reader = ProbeResponseReader()
    headAt = nil
    deadline = check.startedAt + ProbeConnection.nanos(check.responseTimeout)
    sendRequest()
  }

  /// A reused connection that broke before any byte of the response came back was most likely closed by the
  /// server while idle: the check runs again, once, on a fresh connection. Anything else fails the check.
  private func retryOrFail(_ reason: String) {
    guard reused, !receivedAny, !check.retried, phase == .responding else { return fail(reason) }
    var again = check
    again.retried = true
    abandon()
    lane.startFresh(again)
  }

  /// An idle connection became readable: the server closed it (or sent what nobody asked for). Close it.
  private func checkIdle() {
    let buffer = lane.readBuffer
    let count = transportReceive(buffer.baseAddress!, buffer.count)
    // Nothing to read after all (e.g. OpenSSL consumed a TLS session ticket): the connection stays idle.
    if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
    if count == 0 { sawEOF = true }
    lane.unpark(self)
    abandon()
  }

  /// Closes the connection without a result (idle, evicted, or replaced by a retry).
  func abandon() {
    guard phase != .done else { return }
    phase = .done
    releaseSocket()
    lane.finished(self)
  }

  private func fail(_ reason: String) {
    let latency: Double? = phase == .responding ? elapsed(until: DispatchTime.now().uptimeNanoseconds) : nil
    finish(.failure(reason: reason, latency: latency))
  }

  private func finish(_ result: HTTPProbeResult) {
    guard phase != .done else { return }
    phase = .done
    releaseSocket()
    lane.finished(self)
    check.completion(result)
  }

  /// Cancels the sources; the socket closes once the last one's cancel handler has run.
  private func releaseSocket() {
    closeRequested = true
    readSource?.cancel()
    writeSource?.cancel()
    readSource = nil
    writeSource = nil
    if liveSources == 0 { closeSocket() }
  }

  private func track(_ source: any DispatchSourceProtocol) {
    liveSources += 1
    source.setCancelHandler { [self] in
      liveSources -= 1
      if liveSources == 0 && closeRequested { closeSocket() }
    }
  }

  private func closeSocket() {
    guard fd >= 0 else { return }
    if !sawEOF {
      // We close first: reset instead of leaving TIME_WAIT behind, or 1,000 probes a second would exhaust
      // the ephemeral ports towards one target within a minute.
      var option = linger(l_onoff: 1, l_linger: 0)
      _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }
    close(fd)
    fd = -1
  }

  private func elapsed(until end: UInt64) -> Double {
    Double(end &- check.startedAt) / 1_000_000_000
  }

  static func nanos(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1_000_000_000) }

  /// "2 s", "0.5 s".
  static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }

  static func connectError(_ code: Int32) -> String {
    switch code {
    case ECONNREFUSED: "connection refused"
    case ETIMEDOUT: "the connection timed out"
    case EHOSTUNREACH: "host unreachable"
    case ENETUNREACH: "network unreachable"
    default: "cannot connect: \(SocketOptions.errorText(code))"
    }
  }

}
