import Glibc
import Sockets
import Testing

/// The peer address text a connection logs and hands to handlers as `Request.remoteAddress`.
struct SocketAddressTextTests {
  @Test("Given an IPv4 peer, when described, then it reads ip:port")
  func ipv4() {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(8080).bigEndian
    inet_pton(AF_INET, "192.0.2.7", &address.sin_addr)
    let text = SocketAddressText.describe(storage(of: address))
    #expect(text == "192.0.2.7:8080")
  }

  @Test("Given an IPv6 peer, when described, then it reads [ip]:port")
  func ipv6() {
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_port = UInt16(443).bigEndian
    inet_pton(AF_INET6, "2001:db8::1", &address.sin6_addr)
    let text = SocketAddressText.describe(storage(of: address))
    #expect(text == "[2001:db8::1]:443")
  }

  @Test("Given a family other than IPv4 or IPv6, when described, then it reads unknown")
  func otherFamily() {
    var storage = sockaddr_storage()
    storage.ss_family = sa_family_t(AF_UNIX)
    #expect(SocketAddressText.describe(storage) == "unknown")
  }

  private func storage<Address>(of address: Address) -> sockaddr_storage {
    var storage = sockaddr_storage()
    withUnsafeBytes(of: address) { source in
      withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
    }
    return storage
  }
}
