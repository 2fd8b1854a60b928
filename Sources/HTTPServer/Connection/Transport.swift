import Glibc
import Sockets

/// How a connection's bytes travel: straight over the socket, or through a TLS session. An enum rather than
/// a protocol so the plain path is a direct system call with no extra indirection.
enum Transport {
  case plain
  case tls(TLSSession)

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

  /// What `drain` came to.
  enum DrainOutcome {
    /// Everything from `offset` on was sent.
    case sent
    /// The socket is full; wait for writability.
    case wouldBlock
    /// The peer is gone or the socket failed.
    case failed
  }

  /// Sends `output` from `offset` until all is sent, the socket is full, or it fails; advances `offset`.
  func drain(_ fd: Int32, _ output: [UInt8], from offset: inout Int) -> DrainOutcome {
    while offset < output.count {
      let start = offset
      let n = output.withUnsafeBytes { raw in transmit(fd, raw.baseAddress! + start, raw.count - start) }
      if n > 0 {
        offset += n
      } else if n < 0, errno == EINTR {
        continue
      } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
        return .wouldBlock
      } else {
        return .failed
      }
    }
    return .sent
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
