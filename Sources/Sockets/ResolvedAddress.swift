import Glibc

/// A resolved TCP endpoint: an IPv4 or IPv6 socket address ready for `connect` or `bind`.
package struct ResolvedAddress: Sendable {
  /// The address, in a buffer large enough for either family.
  package var storage: sockaddr_storage
  /// How many bytes of `storage` the address uses.
  package var length: socklen_t
  /// `AF_INET` or `AF_INET6`.
  package var family: Int32

  /// An address of `length` bytes copied from `address`.
  package init(copying address: UnsafePointer<sockaddr>, length: socklen_t) {
    var storage = sockaddr_storage()
    withUnsafeMutableBytes(of: &storage) { target in
      target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length)))
    }
    self.storage = storage
    self.length = length
    family = Int32(address.pointee.sa_family)
  }

  /// The address of a literal IPv4 or IPv6 host, without any lookup; nil for a name.
  package init?(literal host: String, port: Int) {
    var v4 = in_addr()
    var v6 = in6_addr()
    if inet_pton(AF_INET, host, &v4) == 1 {
      var sin = sockaddr_in()
      sin.sin_family = sa_family_t(AF_INET)
      sin.sin_addr = v4
      self = ResolvedAddress.of(sin, family: AF_INET)
    } else if inet_pton(AF_INET6, host, &v6) == 1 {
      var sin6 = sockaddr_in6()
      sin6.sin6_family = sa_family_t(AF_INET6)
      sin6.sin6_addr = v6
      self = ResolvedAddress.of(sin6, family: AF_INET6)
    } else {
      return nil
    }
    self = withPort(port)
  }

  private static func of<T>(_ address: T, family: Int32) -> ResolvedAddress {
    withUnsafeBytes(of: address) { bytes in
      ResolvedAddress(
        copying: bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), length: socklen_t(bytes.count))
    }
  }

  /// The same address with another port.
  package func withPort(_ port: Int) -> ResolvedAddress {
    var copy = self
    withUnsafeMutableBytes(of: &copy.storage) { raw in
      // sin_port and sin6_port share the same offset, right after the family.
      raw.storeBytes(of: UInt16(port).bigEndian, toByteOffset: 2, as: UInt16.self)
    }
    return copy
  }

  /// The port the address carries.
  package var port: Int { SocketAddressText.port(storage) }
}
