import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A resolved TCP endpoint: a socket address ready for `connect`.
struct ResolvedAddress: Sendable {
  var storage: sockaddr_storage
  var length: socklen_t
  var family: Int32
}

/// Resolves host names for probes: IP literals directly, names with `getaddrinfo` on the global queue (it
/// blocks), cached for a short time so 1,000 probes of one host do not cost 1,000 lookups a second.
final class HostResolver: Sendable {
  private struct Entry {
    var addresses: [ResolvedAddress]
    var expires: UInt64
  }
  private let cache = Mutex<[String: Entry]>([:])
  /// How long a looked-up name is reused, in nanoseconds.
  let cacheNanoseconds: UInt64

  init(cacheSeconds: Double = 30) {
    cacheNanoseconds = UInt64(max(0, cacheSeconds) * 1_000_000_000)
  }

  /// The address of a literal IPv4 or IPv6 host, without any lookup.
  static func literal(_ host: String, port: Int) -> ResolvedAddress? {
    var storage = sockaddr_storage()
    var v4 = in_addr()
    if inet_pton(AF_INET, host, &v4) == 1 {
      var sin = sockaddr_in()
      sin.sin_family = sa_family_t(AF_INET)
      sin.sin_port = in_port_t(UInt16(port).bigEndian)
      sin.sin_addr = v4
      withUnsafeMutableBytes(of: &storage) { target in
        withUnsafeBytes(of: sin) { target.copyMemory(from: $0) }
      }
      return ResolvedAddress(
        storage: storage, length: socklen_t(MemoryLayout<sockaddr_in>.size), family: AF_INET)
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, host, &v6) == 1 {
      var sin6 = sockaddr_in6()
      sin6.sin6_family = sa_family_t(AF_INET6)
      sin6.sin6_port = in_port_t(UInt16(port).bigEndian)
      sin6.sin6_addr = v6
      withUnsafeMutableBytes(of: &storage) { target in
        withUnsafeBytes(of: sin6) { target.copyMemory(from: $0) }
      }
      return ResolvedAddress(
        storage: storage, length: socklen_t(MemoryLayout<sockaddr_in6>.size), family: AF_INET6)
    }
    return nil
  }

  /// Resolves a host and port; calls back on `queue` with the first address or a failure sentence.
  func resolve(
    _ host: String, port: Int, on queue: DispatchQueue,
    _ done: @escaping @Sendable (Result<ResolvedAddress, ProbeFailure>) -> Void
  ) {
    if let address = HostResolver.literal(host, port: port) {
      done(.success(address))
      return
    }
    let now = DispatchTime.now().uptimeNanoseconds
    if let cached = cache.withLock({ $0[host] }), cached.expires > now, let first = cached.addresses.first {
      done(.success(HostResolver.withPort(first, port)))
      return
    }
    DispatchQueue.global().async {
      let result = HostResolver.lookup(host)
      if case .success(let addresses) = result {
        let expires = DispatchTime.now().uptimeNanoseconds + self.cacheNanoseconds
        self.cache.withLock { $0[host] = Entry(addresses: addresses, expires: expires) }
      }
      queue.async {
        switch result {
        case .success(let addresses): done(.success(HostResolver.withPort(addresses[0], port)))
        case .failure(let failure): done(.failure(failure))
        }
      }
    }
  }

  private static func lookup(_ host: String) -> Result<[ResolvedAddress], ProbeFailure> {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, nil, &hints, &list)
    guard status == 0, let list else {
      return .failure(ProbeFailure("cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
    }
    defer { freeaddrinfo(list) }
    var result: [ResolvedAddress] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = list
    while let info = cursor {
      if let address = info.pointee.ai_addr,
        info.pointee.ai_family == AF_INET || info.pointee.ai_family == AF_INET6
      {
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { target in
          target.copyMemory(
            from: UnsafeRawBufferPointer(start: address, count: Int(info.pointee.ai_addrlen)))
        }
        result.append(
          ResolvedAddress(storage: storage, length: info.pointee.ai_addrlen, family: info.pointee.ai_family))
      }
      cursor = info.pointee.ai_next
    }
    // Prefer IPv4, like most health checkers.
    result.sort { $0.family == AF_INET && $1.family != AF_INET }
    guard !result.isEmpty else { return .failure(ProbeFailure("\(host) has no IPv4 or IPv6 address")) }
    return .success(result)
  }

  private static func withPort(_ address: ResolvedAddress, _ port: Int) -> ResolvedAddress {
    var copy = address
    withUnsafeMutableBytes(of: &copy.storage) { raw in
      // sin_port and sin6_port share the same offset, right after the family.
      raw.storeBytes(of: UInt16(port).bigEndian, toByteOffset: 2, as: UInt16.self)
    }
    return copy
  }
}
