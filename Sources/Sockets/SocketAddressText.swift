import Glibc

/// Socket addresses as text, on raw `sockaddr_storage`.
package enum SocketAddressText {
  /// `ip:port` (IPv4) or `[ip]:port` (IPv6) of a socket address.
  package static func describe(_ storage: sockaddr_storage) -> String {
    switch Int32(storage.ss_family) {
    case AF_INET:
      let (ip, port) = text(storage, as: sockaddr_in.self, family: AF_INET, ip: \.sin_addr, port: \.sin_port)
      return "\(ip):\(port)"
    case AF_INET6:
      let (ip, port) = text(
        storage, as: sockaddr_in6.self, family: AF_INET6, ip: \.sin6_addr, port: \.sin6_port)
      return "[\(ip)]:\(port)"
    default:
      return "unknown"
    }
  }

  /// The IP address (by `inet_ntop`) and the host-order port of `storage` laid out as an `Address` of `family`.
  private static func text<Address>(
    _ storage: sockaddr_storage, as _: Address.Type, family: Int32, ip: PartialKeyPath<Address>,
    port: KeyPath<Address, in_port_t>
  ) -> (ip: String, port: UInt16) {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    return withUnsafeBytes(of: storage) { bytes in
      inet_ntop(
        family, bytes.baseAddress! + MemoryLayout<Address>.offset(of: ip)!, &buffer, socklen_t(buffer.count))
      let port = bytes.load(fromByteOffset: MemoryLayout<Address>.offset(of: port)!, as: in_port_t.self)
      return (string(buffer), UInt16(bigEndian: port))
    }
  }

  /// The port a socket address carries (IPv4 and IPv6 keep it at the same offset).
  package static func port(_ storage: sockaddr_storage) -> Int {
    var storage = storage
    return withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
    }
  }

  private static func string(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
