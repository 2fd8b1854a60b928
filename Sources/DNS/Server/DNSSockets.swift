import Glibc
import Sockets

/// The UDP and TCP sockets of one listen address, bound to the same port.
struct DNSSockets {
  let udp: Int32
  let tcp: Int32
  let bound: DNSListenAddress

  /// Binds UDP, then TCP on the port UDP got (so port 0 yields one port for both). With port 0 the port UDP got
  /// may be taken for TCP by another program: then another pair is tried (at most 20 times).
  init(_ address: DNSListenAddress) throws(DNSServerError) {
    var attempt = 1
    while true {
      do {
        self = try Self.init(once: address)
        return
      } catch {
        guard address.port == 0, attempt < 20 else { throw error }
        attempt += 1
      }
    }
  }

  private init(once address: DNSListenAddress) throws(DNSServerError) {
    guard let resolved = ResolvedAddress(literal: address.host, port: address.port) else {
      throw DNSServerError("`dns.listen` needs an IP address, not \"\(address.host)\".")
    }
    let udp = try Self.open(resolved, type: Int32(SOCK_DGRAM.rawValue), address: address)
    let port = Self.localPort(udp)
    let tcp: Int32
    do {
      tcp = try Self.open(resolved.withPort(port), type: Int32(SOCK_STREAM.rawValue), address: address)
    } catch {
      Glibc.close(udp)
      throw error
    }
    guard listen(tcp, 128) == 0 else {
      let text = SocketOptions.errorText()
      Glibc.close(udp)
      Glibc.close(tcp)
      throw DNSServerError("Cannot listen for DNS over TCP on \(address): \(text).")
    }
    SocketOptions.setNonBlockingCloseOnExec(udp)
    SocketOptions.setNonBlockingCloseOnExec(tcp)
    self.udp = udp
    self.tcp = tcp
    bound = DNSListenAddress(host: address.host, port: port)
  }

  func close() {
    Glibc.close(udp)
    Glibc.close(tcp)
  }

  private static func open(_ resolved: ResolvedAddress, type: Int32, address: DNSListenAddress)
    throws(DNSServerError) -> Int32
  {
    let fd = socket(resolved.family, type, 0)
    guard fd >= 0 else { throw DNSServerError("socket() failed: \(SocketOptions.errorText()).") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if resolved.family == AF_INET6 {
      setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
    var storage = resolved.storage
    let result = withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, resolved.length) }
    }
    guard result == 0 else {
      let text = SocketOptions.errorText()
      Glibc.close(fd)
      let kind = type == Int32(SOCK_DGRAM.rawValue) ? "UDP" : "TCP"
      throw DNSServerError("Cannot listen for DNS over \(kind) on \(address): \(text).")
    }
    return fd
  }

  private static func localPort(_ fd: Int32) -> Int {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return SocketAddressText.port(storage)
  }
}
