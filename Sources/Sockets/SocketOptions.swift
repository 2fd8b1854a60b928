import Glibc

/// The socket calls the server and the prober share, with the options both set.
package enum SocketOptions {
  /// Sends without buffering small writes (requests and responses are whole messages).
  package static func setNoDelay(_ fd: Int32) {
    var one: Int32 = 1
    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
  }

  /// Makes an accepted or listening socket non-blocking and closed on exec.
  package static func setNonBlockingCloseOnExec(_ fd: Int32) {
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
  }

  /// A new non-blocking, close-on-exec TCP socket of `family`, or -1 with `errno` set.
  package static func openStream(family: Int32) -> Int32 {
    socket(
      family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  }

  /// `connect(2)` to a resolved address.
  package static func connect(_ fd: Int32, to address: ResolvedAddress) -> Int32 {
    var storage = address.storage
    return withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
    }
  }

  /// Best-effort bytes to a socket that is about to close (no SIGPIPE), then half-closes it.
  package static func sendAndShutdown(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    Glibc.shutdown(fd, Int32(SHUT_WR))
  }

  /// `strerror` of an error number, e.g. "Connection refused".
  package static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}
