import Dispatch
import Glibc
import Sockets

/// A listening socket: non-blocking, `SO_REUSEADDR`, one per address (IPv4 or IPv6).
final class Listener: @unchecked Sendable {
  let fd: Int32
  /// The address actually bound (with the real port when 0 was asked for).
  let boundAddress: ListenAddress
  /// Whether connections accepted here speak TLS.
  let secure: Bool
  var source: DispatchSourceRead?

  init(address: ListenAddress, secure: Bool = false, backlog: Int32 = 1024) throws(AddressError) {
    let resolved: ResolvedAddress
    switch AddressResolver.resolve(address.host, port: address.port, passive: true) {
    case .success(let addresses): resolved = addresses[0]
    case .failure(.lookupFailed(_, let reason)):
      throw AddressError("Cannot resolve '\(address.host)': \(reason).")
    case .failure(.noAddress):
      throw AddressError("Cannot resolve '\(address.host)': no IPv4 or IPv6 address.")
    }

    let fd = socket(resolved.family, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw AddressError("socket() failed: \(SocketOptions.errorText()).") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if resolved.family == AF_INET6 {
      setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
    var storage = resolved.storage
    let bound = withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, resolved.length) }
    }
    guard bound == 0 else {
      let text = SocketOptions.errorText()
      Glibc.close(fd)
      throw AddressError("Cannot listen on \(address): \(text).")
    }
    guard listen(fd, backlog) == 0 else {
      let text = SocketOptions.errorText()
      Glibc.close(fd)
      throw AddressError("listen() on \(address) failed: \(text).")
    }
    SocketOptions.setNonBlockingCloseOnExec(fd)

    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    self.fd = fd
    self.secure = secure
    self.boundAddress = ListenAddress(host: address.host, port: SocketAddressText.port(storage))
  }

  /// Stops accepting and closes the socket.
  func close() {
    if let source {
      self.source = nil
      source.cancel()
    }
  }
}
