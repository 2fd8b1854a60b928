import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A TLS connection before its handshake is done: driven by the same Dispatch sources as every connection
/// (no thread of its own), bounded by the handshake timeout, then handed to HTTP/1.1 or HTTP/2 by ALPN.
final class TLSHandshake: ServerConnection, @unchecked Sendable {
  let fd: Int32
  let worker: Worker
  let server: HTTPServer
  let remoteAddress: String
  private let stream: TLSStream
  private var readSource: PolledSource?
  private var readSuspended = false
  private var writeSource: PolledSource?
  private var liveSources = 0
  private var closed = false
  private var handedOff = false
  private let deadline: UInt64

  init(fd: Int32, stream: TLSStream, worker: Worker, server: HTTPServer, remoteAddress: String) {
    self.fd = fd
    self.stream = stream
    self.worker = worker
    self.server = server
    self.remoteAddress = remoteAddress
    let timeout = server.configuration.tls?.handshakeTimeout ?? .seconds(10)
    deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(timeout.nanoseconds)
  }

  func start() {
    let source = worker.poller.makeReadSource(fileDescriptor: fd)
    source.setEventHandler { [weak self] in self?.step() }
    source.setCancelHandler { [self] in self.sourceCancelled() }
    liveSources += 1
    readSource = source
    source.resume()
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
      server.logger.debug("TLS handshake with \(remoteAddress) failed: \(reason)")
      close()
    }
  }

  /// Plain HTTP on the TLS port: a short plaintext 400 saying so, then close (never a hang).
  private func answerPlainHTTP() {
    let body = "This port speaks HTTPS; use an https:// URL.\n"
    let text =
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    Glibc.shutdown(fd, Int32(SHUT_WR))
  }

  private func waitForWrite() {
    guard writeSource == nil else { return }
    if let readSource, !readSuspended {
      readSuspended = true
      readSource.suspend()
    }
    let source = worker.poller.makeWriteSource(fileDescriptor: fd)
    source.setEventHandler { [weak self] in self?.step() }
    source.setCancelHandler { [self] in self.sourceCancelled() }
    liveSources += 1
    writeSource = source
    source.resume()
  }

  private func stopWaitingForWrite() {
    if let writeSource {
      self.writeSource = nil
      writeSource.cancel()
    }
    if let readSource, readSuspended {
      readSuspended = false
      readSource.resume()
    }
  }

  /// The handshake is done: the connection that speaks the negotiated protocol takes over socket and source.
  private func handOff() {
    stopWaitingForWrite()
    guard let source = readSource else { return close() }
    readSource = nil
    handedOff = true
    closed = true
    liveSources -= 1
    worker.connections[ObjectIdentifier(self)] = nil
    if stream.negotiatedHTTP2 {
      let connection = HTTP2Connection(
        fd: fd, transport: .tls(stream), worker: worker, server: server, remoteAddress: remoteAddress)
      worker.connections[ObjectIdentifier(connection)] = connection
      connection.start(adopting: source, initialInput: [])
    } else {
      let connection = HTTP1Connection(
        fd: fd, worker: worker, server: server, remoteAddress: remoteAddress, transport: .tls(stream))
      worker.connections[ObjectIdentifier(connection)] = connection
      connection.start(adopting: source)
    }
  }

  func checkDeadline(now: UInt64) {
    if !closed, now >= deadline { close() }
  }

  func beginDrain() { close() }

  func close() {
    guard !closed else { return }
    closed = true
    if let readSource {
      if readSuspended {
        readSuspended = false
        readSource.resume()
      }
      readSource.cancel()
      self.readSource = nil
    }
    if let writeSource {
      writeSource.cancel()
      self.writeSource = nil
    }
    worker.connections[ObjectIdentifier(self)] = nil
    server.connectionClosed()
    if liveSources == 0 { Glibc.close(fd) }
  }

  private func sourceCancelled() {
    liveSources -= 1
    if liveSources == 0, closed, !handedOff { Glibc.close(fd) }
  }
}
