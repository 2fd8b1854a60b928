import Foundation

/// Sends one JSON POST to one etcd member: the seam under `EtcdClient` (`EtcdSocketTransport` in production).
///
/// Not URLSession: the toolchain's FoundationNetworking stops the process ("Transfer completed, but there's no
/// response", swift-corelibs-foundation issue 5285) when a member dies right after a request was sent, which
/// `scripts/soak-cluster` hit by killing etcd members.
public protocol EtcdTransport: Sendable {
  /// POSTs `body` to `url` with `headers`; answers the status and body, or throws when the member cannot be reached
  /// within `timeout` seconds.
  func post(url: URL, headers: [String: String], body: Data, timeout: TimeInterval) async throws -> (
    Int, Data
  )
}

/// Why a member could not be reached (refused, reset, timed out).
public struct EtcdTransportFailure: Error, Sendable, CustomStringConvertible {
  public var detail: String
  public init(detail: String) { self.detail = detail }
  public var description: String { detail }
}

extension EtcdSocketTransport {
  /// A transport without a CA file or client certificate (plain `http://`, or `https://` verified against the
  /// system's CAs): the client's default. Making one fails only when OpenSSL cannot allocate a context.
  public static let plain: EtcdSocketTransport = {
    do {
      return try EtcdSocketTransport()
    } catch {
      fatalError("OpenSSL cannot make a client context: \(error)")
    }
  }()
}
