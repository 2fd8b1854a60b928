#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a connection's bytes travel: straight over the socket, or through a TLS session. An enum rather than
/// a protocol so the plain path is a direct system call with no extra indirection.
enum Transport {
  case plain
  case tls(TLSStream)

  /// Like `read(2)` on the socket.
  @inline(__always)
  func receive(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    switch self {
    case .plain: read(fd, buffer, count)
    case .tls(let stream): stream.read(buffer, count)
    }
  }

  /// Like `send(2)` on the socket.
  @inline(__always)
  func transmit(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    switch self {
    case .plain: send(fd, buffer, count, Int32(MSG_NOSIGNAL))
    case .tls(let stream): stream.write(buffer, count)
    }
  }

  /// Decrypted input waiting inside the TLS session (never for plain sockets).
  var hasBufferedInput: Bool {
    switch self {
    case .plain: false
    case .tls(let stream): stream.hasBufferedInput
    }
  }

  /// Says goodbye at the TLS level before the socket is half-closed.
  func closeNotify() {
    if case .tls(let stream) = self { stream.closeNotify() }
  }

  /// `https` or `http`.
  var scheme: String {
    switch self {
    case .plain: "http"
    case .tls: "https"
    }
  }
}
