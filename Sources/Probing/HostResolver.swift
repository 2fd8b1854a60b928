import Dispatch
import Glibc
import Sockets
import Synchronization

/// Resolves host names for probes: IP literals directly, names with the shared resolver on the global queue
/// (it blocks), cached for a short time so 1,000 probes of one host do not cost 1,000 lookups a second.
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

  /// Resolves a host and port; calls back on `queue` with the first address or a failure sentence.
  func resolve(
    _ host: String, port: Int, on queue: DispatchQueue,
    _ done: @escaping @Sendable (Result<ResolvedAddress, ProbeFailure>) -> Void
  ) {
    if let address = ResolvedAddress(literal: host, port: port) {
      done(.success(address))
      return
    }
    let now = DispatchTime.now().uptimeNanoseconds
    if let cached = cache.withLock({ $0[host] }), cached.expires > now, let first = cached.addresses.first {
      done(.success(first.withPort(port)))
      return
    }
    DispatchQueue.global().async {
      let result = HostResolver.lookup(host, port: port)
      if case .success(let addresses) = result {
        let expires = DispatchTime.now().uptimeNanoseconds + self.cacheNanoseconds
        self.cache.withLock { $0[host] = Entry(addresses: addresses, expires: expires) }
      }
      queue.async { done(result.map { $0[0] }) }
    }
  }

  private static func lookup(_ host: String, port: Int) -> Result<[ResolvedAddress], ProbeFailure> {
    switch AddressResolver.resolve(host, port: port) {
    case .success(let addresses):
      // Prefer IPv4, like most health checkers.
      return .success(addresses.filter { $0.family == AF_INET } + addresses.filter { $0.family != AF_INET })
    case .failure(.lookupFailed(_, let reason)):
      return .failure(ProbeFailure("cannot resolve \(host): \(reason)"))
    case .failure(.noAddress):
      return .failure(ProbeFailure("\(host) has no IPv4 or IPv6 address"))
    }
  }
}
