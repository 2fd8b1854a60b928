import Foundation
import Glibc
import Sockets

/// Sends one message to a DNS server and reads its answer, over UDP or TCP, with a timeout. Blocking: call it
/// off the cooperative pool.
public struct DNSClient: Sendable {
  /// Why no answer came.
  public enum Failure: Error, Sendable, CustomStringConvertible {
    /// Nothing arrived within the timeout.
    case timeout(String)
    /// The socket could not connect or send.
    case unreachable(String)
    /// Something arrived that is not an answer to the request.
    case malformed(String)

    public var description: String {
      switch self {
      case .timeout(let text), .unreachable(let text), .malformed(let text): text
      }
    }
  }

  /// The server's address.
  public var server: DNSListenAddress
  /// Seconds to wait for an answer.
  public var timeout: Double

  public init(server: DNSListenAddress, timeout: Double) {
    self.server = server
    self.timeout = timeout
  }

  /// Sends `request` and returns the answer's bytes (whose id matches the request's).
  public func exchange(_ request: [UInt8], overTCP: Bool) throws(Failure) -> [UInt8] {
    guard let address = ResolvedAddress(literal: server.host, port: server.port) else {
      throw .unreachable("the DNS server address \(server.host) is not an IP address")
    }
    let type = overTCP ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
    let fd = socket(address.family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw .unreachable("socket() failed: \(SocketOptions.errorText())") }
    defer { close(fd) }
    let whole = Int(timeout)
    var limit = timeval(tv_sec: whole, tv_usec: Int((timeout - Double(whole)) * 1_000_000))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    guard SocketOptions.connect(fd, to: address) == 0 else {
      let code = errno
      if code == EINPROGRESS || code == EAGAIN {
        throw .timeout("no connection to \(server) within \(timeout) s")
      }
      throw .unreachable("cannot reach the DNS server \(server): \(SocketOptions.errorText(code))")
    }
    let id = request.count >= 2 ? [request[0], request[1]] : []
    if overTCP {
      let framed = [UInt8(request.count >> 8), UInt8(request.count & 0xFF)] + request
      guard DNSServer.write(fd, framed) else {
        throw .unreachable("cannot send to the DNS server \(server): \(SocketOptions.errorText())")
      }
      guard let prefix = DNSServer.read(fd, count: 2) else { throw readFailure() }
      let length = Int(prefix[0]) << 8 | Int(prefix[1])
      guard let answer = DNSServer.read(fd, count: length) else { throw readFailure() }
      guard answer.count >= DNSMessage.headerSize, Array(answer[0..<2]) == id else {
        throw .malformed("the DNS server \(server) answered with another message id")
      }
      return answer
    }
    let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    guard sent == request.count else {
      throw .unreachable("cannot send to the DNS server \(server): \(SocketOptions.errorText())")
    }
    var buffer = [UInt8](repeating: 0, count: 65535)
    // Datagrams that answer something else (a late answer to an earlier try) are skipped, a few at most.
    for _ in 0..<8 {
      let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { throw readFailure() }
      if got >= DNSMessage.headerSize && Array(buffer[0..<2]) == id { return Array(buffer[0..<got]) }
    }
    throw .malformed("the DNS server \(server) answered with other message ids")
  }

  private func readFailure() -> Failure {
    let code = errno
    if code == EAGAIN || code == EWOULDBLOCK {
      return .timeout("no answer from \(server) within \(timeout) s")
    }
    if code == 0 { return .unreachable("the DNS server \(server) closed the connection") }
    return .unreachable("no answer from \(server): \(SocketOptions.errorText(code))")
  }
}
