import Dispatch
import Glibc
import Sockets

/// A TLS connection before its handshake is done: driven by its worker's poller like every connection
/// (no thread of its own), bounded by the handshake timeout, then handed to HTTP/1.1 or HTTP/2 by ALPN.
final class TLSHandshake: ServerConnection, @unchecked Sendable {
  let fd: Int32
  let worker: Worker
  let server: HTTPServer
  let remoteAddress: String
  private let stream: TLSSession
  private let events: SocketEvents
  private var closed = false
  private let deadline: UInt64

  init(fd: Int32, stream: TLSSession, worker: Worker, server: HTTPServer, remoteAddress: String) {
    self.fd = fd
    self.stream = stream
    self.worker = worker
    self.server = server
    self.remoteAddress = remoteAddress
    events = SocketEvents(fd: fd, poller: worker.poller)
    let timeout = server.configuration.tls?.handshakeTimeout ?? .seconds(10)
    deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(timeout.nanoseconds)
  }

  func start() {
    events.whenReadable { [weak self] in self?.step() }
  }

  private func step() {
    guard !closed else { return }
    switch stream.handshake() {
    case .done:
      handOff()
    case .wantRead:
      stopWaitingForWrite()
    case .wantWrite:
      waitForWrite()
    case .plainHTTP:
      answerPlainHTTP()
      close()
    case .failed(let reason):
      server.logger.debug(
        "TLS handshake with \(remoteAddress) failed: \(reason ?? "no details from OpenSSL")")
      close()
    }
  }

  /// Plain HTTP on the TLS port: a short plaintext 400 saying so, then close (never a hang).
  private func answerPlainHTTP() {
    let body = "This port speaks HTTPS; use an https:// URL.\n"
    let text =
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    SocketOptions.sendAndShutdown(fd, Array(text.utf8))
  }

  private func waitForWrite() {
    guard !events.isWaitingForWrite else { return }
    events.pauseReading()
    events.waitForWrite { [weak self] in self?.step() }
  }

  private func stopWaitingForWrite() {
    events.stopWaitingForWrite()
    events.resumeReading()
  }

  /// The handshake is done: the connection that speaks the negotiated protocol takes over socket and source.
  private func handOff() {
    stopWaitingForWrite()
    guard !events.isClosed else { return close() }
    closed = true
    worker.connections[ObjectIdentifier(self)] = nil
    if stream.negotiatedHTTP2 {
      let connection = HTTP2Connection(
        fd: fd, transport: .tls(stream), worker: worker, server: server, remoteAddress: remoteAddress)
      worker.connections[ObjectIdentifier(connection)] = connection
      connection.start(adopting: events, initialInput: [])
    } else {
      let connection = HTTP1Connection(
        fd: fd, worker: worker, server: server, remoteAddress: remoteAddress, transport: .tls(stream))
      worker.connections[ObjectIdentifier(connection)] = connection
      connection.start(adopting: events)
    }
  }

  func checkDeadline(now: UInt64) {
    if !closed, now >= deadline { close() }
  }

  func beginDrain() { close() }

  func close() {
    guard !closed else { return }
    closed = true
    release(events)
  }
}
