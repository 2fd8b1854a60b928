import Glibc

/// Turns a host and port into TCP socket addresses with `getaddrinfo` (which blocks: call it off the
/// latency-sensitive queues). The one place that knows the hints.
package enum AddressResolver {
  /// Why a host did not resolve.
  package enum Failure: Error, Sendable {
    /// The lookup failed; `reason` is `gai_strerror`'s text.
    case lookupFailed(host: String, reason: String)
    /// The name exists but has no IPv4 or IPv6 stream address.
    case noAddress(host: String)
  }

  /// The IPv4 and IPv6 stream addresses of `host` with `port`, in the resolver's order. `passive` asks for
  /// addresses to listen on (a wildcard for an empty host).
  package static func resolve(_ host: String, port: Int, passive: Bool = false) -> Result<
    [ResolvedAddress], Failure
  > {
    var hints = addrinfo()
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let list else {
      return .failure(.lookupFailed(host: host, reason: String(cString: gai_strerror(status))))
    }
    defer { freeaddrinfo(list) }
    var result: [ResolvedAddress] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = list
    while let info = cursor {
      if let address = info.pointee.ai_addr,
        info.pointee.ai_family == AF_INET || info.pointee.ai_family == AF_INET6
      {
        result.append(ResolvedAddress(copying: address, length: info.pointee.ai_addrlen))
      }
      cursor = info.pointee.ai_next
    }
    guard !result.isEmpty else { return .failure(.noAddress(host: host)) }
    return .success(result)
  }
}
