import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A listening socket: non-blocking, `SO_REUSEADDR`, one per address (IPv4 or IPv6).
final class Listener: @unchecked Sendable {
  let fd: Int32
  /// The address actually bound (with the real port when 0 was asked for).
  let boundAddress: ListenAddress
  /// Whether connections accepted here speak TLS.
  let secure: Bool
  var source: DispatchSourceRead?

  init(address: ListenAddress, secure: Bool = false, backlog: Int32 = 1024) throws(AddressError) {
    var hints = addrinfo()
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    var result: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(address.host, String(address.port), &hints, &result)
    guard status == 0, let info = result else {
      throw AddressError("Cannot resolve '\(address.host)': \(String(cString: gai_strerror(status))).")
    }
    defer { freeaddrinfo(result) }

    let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
    guard fd >= 0 else { throw AddressError("socket() failed: \(Listener.errnoText()).") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if info.pointee.ai_family == AF_INET6 {
      setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
    guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
      let text = Listener.errnoText()
      Glibc.close(fd)
      throw AddressError("Cannot listen on \(address): \(text).")
    }
    guard listen(fd, backlog) == 0 else {
      let text = Listener.errnoText()
      Glibc.close(fd)
      throw AddressError("listen() on \(address) failed: \(text).")
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)

    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    self.fd = fd
    self.secure = secure
    self.boundAddress = ListenAddress(host: address.host, port: SocketAddressFormatting.port(storage))
  }

  /// Stops accepting and closes the socket.
  func close() {
    if let source {
      self.source = nil
      source.cancel()
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
