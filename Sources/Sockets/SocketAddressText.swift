import Glibc

/// Socket addresses as text, on raw `sockaddr_storage`.
package enum SocketAddressText {
  /// `ip:port` (IPv4) or `[ip]:port` (IPv6) of a socket address.
  package static func describe(_ storage: sockaddr_storage) -> String {
    var storage = storage
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    switch Int32(storage.ss_family) {
    case AF_INET:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
          var addr = sin.pointee.sin_addr
          inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
          return "\(string(buffer)):\(UInt16(bigEndian: sin.pointee.sin_port))"
        }
      }
    case AF_INET6:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
          var addr = sin6.pointee.sin6_addr
          inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
          return "[\(string(buffer))]:\(UInt16(bigEndian: sin6.pointee.sin6_port))"
        }
      }
    default:
      return "unknown"
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
