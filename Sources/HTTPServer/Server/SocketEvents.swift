import Glibc

/// What a connection (TLS handshake, HTTP/1.1, HTTP/2) needs from its worker's poller for its socket: a read
/// handler that can be paused, a write handler while the socket is full, and the socket's end. It passes from
/// connection to connection on a hand-off (TLS → HTTP/1.1 or HTTP/2, HTTP/1.1 → h2c). Used on the worker's queue.
final class SocketEvents {
  let fd: Int32
  private let poller: Poller
  private var read: PolledSource?
  private var write: PolledSource?
  /// Reading is paused (a full buffer, a blocked write, a response still being produced).
  private(set) var isReadingPaused = false
  private(set) var isClosed = false

  init(fd: Int32, poller: Poller) {
    self.fd = fd
    self.poller = poller
  }

  /// Calls `handler` whenever the socket is readable and reading is not paused; replaces an earlier handler.
  func whenReadable(_ handler: @escaping @Sendable () -> Void) {
    guard !isClosed else { return }
    if let read {
      read.setEventHandler(handler: handler)
      return
    }
    let source = poller.makeReadSource(fileDescriptor: fd)
    source.setEventHandler(handler: handler)
    read = source
    if !isReadingPaused { source.resume() }
  }

  /// Whether a write handler is installed (the socket was full).
  var isWaitingForWrite: Bool { write != nil }

  /// Calls `handler` whenever the socket is writable, until `stopWaitingForWrite`.
  func waitForWrite(_ handler: @escaping @Sendable () -> Void) {
    guard write == nil, !isClosed else { return }
    let source = poller.makeWriteSource(fileDescriptor: fd)
    source.setEventHandler(handler: handler)
    write = source
    source.resume()
  }

  func stopWaitingForWrite() {
    write?.cancel()
    write = nil
  }

  func pauseReading() {
    guard !isReadingPaused else { return }
    isReadingPaused = true
    read?.suspend()
  }

  func resumeReading() {
    guard isReadingPaused else { return }
    isReadingPaused = false
    read?.resume()
  }

  /// Stops watching and closes the socket (it leaves the epoll set before its descriptor is closed).
  func close() {
    guard !isClosed else { return }
    isClosed = true
    read?.cancel()
    write?.cancel()
    read = nil
    write = nil
    Glibc.close(fd)
  }
}
